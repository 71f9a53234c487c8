"""Main window: organization tree, members, search, details, findings and totals as of a date."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from khoi_desktop import __version__
from khoi_desktop.core.change_watch import ChangeWatcher, watcher_for
from khoi_desktop.core.changes import EVERYTHING, OVERVIEW, Changes
from khoi_desktop.core.text import show_date, thousands
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.fitting_label import FittingLabel
from khoi_desktop.gui.worker import DbWorker

# The window shows before SQLAlchemy and the areas' libraries load (start-up: gui/app.py): what this module
# imports at its top is Qt and plain data; the database's modules and the jobs (gui/ops) load with start(),
# after the first frame (bench/start.py: spawn → window shown beside a bare PySide6 window).
if TYPE_CHECKING:
    from PySide6.QtCore import QDate, QItemSelection, QModelIndex, QPoint, Qt
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QHeaderView,
        QLineEdit,
        QMenu,
        QPushButton,
        QSplitter,
        QTableView,
        QTabWidget,
        QToolBar,
        QTreeView,
        QVBoxLayout,
    )

    from khoi_desktop.core.auth.current import CurrentUser
    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.core.database_lock import DatabaseLock
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.members import MemberRow
    from khoi_desktop.core.rules import Finding
    from khoi_desktop.core.settings import OfficeSettings
    from khoi_desktop.core.tree import OrgNode
    from khoi_desktop.gui import ops
    from khoi_desktop.gui.auth.idle_lock import IdleLock
    from khoi_desktop.gui.date_edits import DateEdit
    from khoi_desktop.gui.details_panel import DetailsPanel
    from khoi_desktop.gui.findings_panel import FindingsPanel
    from khoi_desktop.gui.gating import gate_menu, tag
    from khoi_desktop.gui.member_model import MemberTableModel
    from khoi_desktop.gui.tree_model import OrgTreeModel

MENU_ORDER = ("Tệp", "Xem", "Sắp xếp tổ chức", "Đảng viên", "Cấp ủy", "Văn bản", "Bảng tính", "Sinh hoạt chi bộ",
              "Xếp loại chất lượng", "Trao đổi", "Sao lưu", "Tài khoản", "Trợ giúp")

SEARCH_DELAY_MS = 250
BUSY_NOTICE_MS = 400
PAST_STYLE = "color: white; background: #b26a00; padding: 1px 6px; font-weight: bold;"  # another day than today
WRONG_DAY_STYLE = "color: white; background: #c62828; padding: 1px 6px; font-weight: bold;"  # not a date
WATCH_INTERVAL_MS = 1500  # how soon a change made by another program shows
SERVER_LOST = ("Mất kết nối tới máy chủ dữ liệu (máy chủ khởi động lại hoặc đường mạng bị ngắt): đang tự kết nối "
               "lại. Trong lúc này chưa lưu được gì; nội dung đang nhập vẫn được giữ, hãy lưu lại khi có kết nối.")
SERVER_BACK = "Đã kết nối lại máy chủ dữ liệu."


def _load_parts() -> None:
    """The window's widgets' modules, and Qt's namespace with them (creating its enums is ≈ 30 ms, about the
    time a bare PySide6 window takes to show), and the widgets' classes (PySide creates a class, its enums
    with it, when first named: a few ms more): loaded into this module when the window is built, after its
    first frame at start-up (MainWindow.build), so that frame costs what a bare window's does."""
    if "OrgTreeModel" in globals():
        return
    from PySide6 import QtCore, QtGui, QtWidgets
    from PySide6.QtCore import Qt

    globals().update({name: getattr(QtCore, name) for name in ("QDate", "QItemSelection", "QModelIndex", "QPoint")})
    globals().update({name: getattr(QtGui, name) for name in ("QAction", "QKeySequence")})
    globals().update({name: getattr(QtWidgets, name) for name in (
        "QAbstractItemView", "QHeaderView", "QLineEdit", "QMenu", "QPushButton", "QSplitter",
        "QTableView", "QTabWidget", "QToolBar", "QTreeView", "QVBoxLayout")})

    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.gui.date_edits import DateEdit
    from khoi_desktop.gui.details_panel import DetailsPanel
    from khoi_desktop.gui.findings_panel import FindingsPanel
    from khoi_desktop.gui.gating import gate_menu, tag
    from khoi_desktop.gui.member_model import MemberTableModel
    from khoi_desktop.gui.tree_model import OrgTreeModel

    globals().update(Qt=Qt, Permission=Permission, DateEdit=DateEdit, DetailsPanel=DetailsPanel,
                     FindingsPanel=FindingsPanel,
                     gate_menu=gate_menu, tag=tag, MemberTableModel=MemberTableModel, OrgTreeModel=OrgTreeModel)


def _locked(path: Path) -> bool:
    from khoi_desktop.core.keyslots.opening import is_encrypted
    from khoi_desktop.core.keyslots.registry import key_for

    return key_for(path) is None and is_encrypted(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class MainWindow(QMainWindow):
    overview_loaded = Signal()
    members_loaded = Signal()
    detail_loaded = Signal()
    # Emitted after a write with what it changed (core.changes.Changes): screens reload what concerns them.
    data_changed = Signal(object)
    # Built in _build_widgets; declared here so the areas, which import this module, see their types.
    search_edit: QLineEdit
    _search_timer: QTimer
    tree_model: OrgTreeModel
    tree: QTreeView
    member_model: MemberTableModel
    details: DetailsPanel
    findings: FindingsPanel
    bottom_tabs: QTabWidget
    totals_label: FittingLabel
    idle_lock: IdleLock  # gui/auth installs it

    def __init__(self, worker: DbWorker, *, start: bool = True) -> None:
        """`start=False`: the window alone, saying it is loading, until start() (the database open and the
        user signed in): gui/app.py shows it first, so a clerk sees the program at once."""
        super().__init__()
        self.worker = worker
        self._as_of = dt.date.today()
        self._as_of_problem = ""  # why the text left in «Xem tại ngày» is not a date ("" when it is one)
        self._close_agreed = False  # the clerk said yes to losing what open dialogs held (may_close)
        self._generation = {"overview": 0, "members": 0, "detail": 0}
        self._selected_org: int | None = None
        self._follow: int | None = None
        self._committee_name = "Đảng ủy Khối"
        self.ended_orgs: tuple[ops.EndedOrg, ...] = ()  # named by the pickers when a clerk types one
        self.settings: OfficeSettings  # the defaults from start(), then the database's own with the overview
        self.started = False
        self.areas_installed = False  # start() installs the areas' menus and panels
        # The lock beside the database file (core/database_lock.py): gui/app.py hands over the one it took.
        self.database_lock: DatabaseLock | None = None
        # Areas add entries to the context menus of the tree and of the findings panel.
        self.tree_menu_providers: list[Callable[[QMenu, OrgNode | None], None]] = []
        self.finding_menu_providers: list[Callable[[QMenu, Finding], None]] = []
        # Who may work on a file opened from the menu: gui/auth replaces this with its login.
        self.sign_in: Callable[[Database], bool] = lambda _db: True
        # Actions that change the data (restructuring, appointments): offered only while viewing today.
        self.today_only_actions: list[QAction] = []
        self.built = False
        self._filled_unshown = False  # an overview filled in, not yet painted (_show_filled)
        fit_to_screen(self, 1360, 820)  # an office laptop has 1366×768
        # The first frame: the window, its title and "loading" in the status bar; its widgets and menus come
        # with build(), right after that frame at start-up (gui/app.py), or at once for a window that starts.
        self.totals_label = FittingLabel(self)
        self.totals_label.setObjectName("totals")
        self.statusBar().addWidget(self.totals_label, 1)
        self._connect_worker(worker)
        if start:
            self.start()
        else:
            self.totals_label.setText("Đang tải dữ liệu…")  # no numbers until they are the file's own
            self._update_title()

    def build(self) -> None:
        """The toolbar, the tree, the members, the panels and the window's own menus (once)."""
        if self.built:
            return
        self.built = True
        _load_parts()
        self._build_widgets()
        self._build_menus()

    def start(self, *, data_first: bool = False) -> None:
        """The areas' menus and panels, and the data (on the worker): the tree and counts fill in.

        `data_first` (the program's start-up, gui/app.py): the tree and counts show before the areas load
        (about half a second of imports); the areas then install and hear `overview_loaded` for the data
        already shown. Until then only the window's own menus exist: nothing an area offers is reachable.
        """
        from khoi_desktop.core.settings import OfficeSettings
        from khoi_desktop.gui.fonts import load_remaining_fonts

        self.started = True
        self.settings = OfficeSettings()  # replaced by the database's own when the overview loads
        if not data_first:
            self.build()
            load_remaining_fonts()
            self._install_areas()
            self.reload()
            return

        def areas_after_first_overview() -> None:
            self._show_filled()  # the tree on screen before the areas' imports
            self.overview_loaded.disconnect(later)
            self._install_areas()
            self.overview_loaded.emit()  # the areas' own first load (roles, settings of the login)

        def later() -> None:
            QTimer.singleShot(0, areas_after_first_overview)  # let the tree paint first

        self.overview_loaded.connect(later)
        # The overview's job first: the worker reads the tree and counts while this thread builds the widgets
        # (its answer comes through the event loop, so after build()): side by side, not one after the other.
        self.reload()
        self.build()
        load_remaining_fonts()

    def _install_areas(self) -> None:
        from khoi_desktop.gui import (
            appointments,
            auth,
            backup,
            documents,
            exchange,
            meetings,
            members,
            ratings,
            spreadsheets,
            workflows,
        )

        # Each area adds its menus and panels; auth last: it hides what the signed-in user's role may not
        # do, in every area's menus.
        for install in (workflows.install, documents.install, backup.install, appointments.install,
                        spreadsheets.install, meetings.install, ratings.install, members.install, exchange.install,
                        auth.install):
            install(self)
        self._order_menus()
        self._show_viewed_day()
        self.areas_installed = True

    # --- construction ----------------------------------------------------------------------
    def _build_widgets(self) -> None:
        toolbar = QToolBar("Công cụ", self)
        toolbar.setObjectName("toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(" Xem tại ngày: "))
        self.as_of_edit = DateEdit(QDate(self._as_of.year, self._as_of.month, self._as_of.day), self)
        self.as_of_edit.setObjectName("as_of")
        self.as_of_edit.setDisplayFormat("dd/MM/yyyy")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setToolTip("Cây tổ chức, số lượng và danh sách đảng viên tại ngày này")
        self.as_of_edit.dateChanged.connect(self._on_as_of_changed)
        self.as_of_edit.problem_changed.connect(self._on_as_of_problem)
        toolbar.addWidget(self.as_of_edit)
        today = tag(QPushButton("&Hôm nay", self), Permission.READ)
        today.clicked.connect(lambda: self.set_as_of(dt.date.today()))
        toolbar.addWidget(today)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Tìm đảng viên: "))
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("search")
        self.search_edit.setPlaceholderText("Họ tên (có dấu hoặc không: nguyen van an) hoặc mã đảng viên")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(360)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        toolbar.addWidget(self.search_edit)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._refresh_members)

        self.tree_model = OrgTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("org_tree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 80)
        self.tree.setColumnWidth(2, 60)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_tree_menu)

        self.member_model = MemberTableModel(self)
        self.member_table = QTableView(self)
        self.member_table.setObjectName("member_table")
        self.member_table.setModel(self.member_model)
        self.member_table.setSortingEnabled(True)
        self.member_table.sortByColumn(MemberTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.member_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.member_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.member_table.setAlternatingRowColors(True)
        self.member_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.member_table.verticalHeader().setDefaultSectionSize(24)
        self.member_table.horizontalHeader().setStretchLastSection(False)
        for column, width in ((0, 200), (1, 90), (2, 70), (3, 100), (4, 170), (5, 240), (6, 90)):
            self.member_table.setColumnWidth(column, width)
        # The code beside the name: on a laptop screen the last columns are off to the right.
        self.member_table.horizontalHeader().moveSection(MemberTableModel.COL_CODE, 1)
        # The chi bộ column takes what is left: no blank strip on a wide screen, no scrolling on a laptop.
        self.member_table.horizontalHeader().setSectionResizeMode(MemberTableModel.COL_ORG,
                                                                   QHeaderView.ResizeMode.Stretch)
        self.member_table.selectionModel().selectionChanged.connect(self._on_member_selection)
        self.members_title = QLabel(self)
        self.members_title.setObjectName("members_title")
        self.members_title.setStyleSheet("font-weight: bold; padding: 4px 2px;")

        self.details = DetailsPanel(self)
        self.findings = FindingsPanel(self)
        self.findings.org_activated.connect(self.select_org)
        self.findings.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.findings.customContextMenuRequested.connect(self._show_finding_menu)
        self.bottom_tabs = QTabWidget(self)
        self.bottom_tabs.addTab(self.details, "Chi tiết")
        self.bottom_tabs.addTab(self.findings, "Phát hiện")

        members_box = QWidget(self)
        layout = QVBoxLayout(members_box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.members_title)
        layout.addWidget(self.member_table)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(members_box)
        right.addWidget(self.bottom_tabs)
        right.setSizes([460, 320])
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(self.tree)
        main.addWidget(right)
        main.setSizes([460, 900])
        # A server office out of reach: said above the data, where the clerk looks, until it is back.
        self.server_banner = QLabel(SERVER_LOST, self)
        self.server_banner.setObjectName("server_lost")
        self.server_banner.setWordWrap(True)
        self.server_banner.setStyleSheet("color: white; background: #b00020; padding: 6px 10px; font-weight: bold;")
        self.server_banner.hide()
        central = QWidget(self)
        page = QVBoxLayout(central)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.server_banner)
        page.addWidget(main, 1)
        self.setCentralWidget(central)

        self.busy_label = QLabel("Đang tải dữ liệu…", self)
        self.busy_label.hide()
        self.past_label = FittingLabel(self)
        self.past_label.setObjectName("past_notice")
        self.past_label.setStyleSheet(PAST_STYLE)
        self.past_label.hide()
        bar = self.statusBar()
        bar.insertWidget(0, self.past_label)  # before the totals (the first frame's)
        bar.addPermanentWidget(self.busy_label)
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_NOTICE_MS)
        self._busy_timer.timeout.connect(self.busy_label.show)

    def _build_menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu("&Tệp")
        open_action = tag(QAction("&Mở tệp dữ liệu…", self), Permission.READ)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_database)
        file_menu.addAction(open_action)
        server_action = tag(QAction("&Kết nối máy chủ dữ liệu…", self), Permission.READ)
        server_action.setObjectName("connect_server")
        server_action.triggered.connect(self._choose_server)
        file_menu.addAction(server_action)
        file_menu.addSeparator()
        quit_action = tag(QAction("T&hoát", self), Permission.READ)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.quit)
        file_menu.addAction(quit_action)
        view_menu = self.view_menu = self.menuBar().addMenu("&Xem")
        refresh = tag(QAction("&Làm mới", self), Permission.READ)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.reload)
        view_menu.addAction(refresh)
        find = tag(QAction("&Tìm đảng viên", self), Permission.READ)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        view_menu.addAction(find)
        help_menu = self.help_menu = self.menuBar().addMenu("Trợ &giúp")
        about = tag(QAction("&Giới thiệu", self), Permission.READ)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    @property
    def user(self) -> CurrentUser | None:
        """The signed-in user (gui/auth); None only for a window built without a login (tests)."""
        return self.worker.db.user

    def _order_menus(self) -> None:
        """The areas add menus as they install; show them in the order of a clerk's work, Help last."""
        bar = self.menuBar()
        by_title = {action.text().replace("&", ""): action for action in bar.actions()}
        for title in MENU_ORDER:
            if title in by_title:
                bar.removeAction(by_title[title])
                bar.addAction(by_title[title])

    def _connect_worker(self, worker: DbWorker) -> None:
        self.worker = worker
        worker.busy_changed.connect(self._on_busy)
        previous = getattr(self, "_watcher", None)
        if previous is not None:  # the office this window showed until now (a server's listener is a thread)
            previous.close()
        self._watcher: ChangeWatcher | None = None
        # The path (or a server's address): at start-up the worker opens the file after the window shows.
        self._watch(worker.location if worker.location is not None else worker.path)

    def _watch(self, path: Path | str) -> None:
        """Refresh when another program (the command line, a second workstation) wrote to the file."""
        self._watcher = watcher_for(path)
        if not hasattr(self, "_watch_timer"):
            self._watch_timer = QTimer(self, interval=WATCH_INTERVAL_MS)
            self._watch_timer.timeout.connect(self._check_outside_change)
            self._watch_timer.start()

    def _check_outside_change(self) -> None:
        # Our own writes were forgotten by notify_changed; one that slipped through only redraws the same.
        if self._watcher is None or self.worker.pending or not self.started:
            return  # asked again at the next tick, once our own work is done (or the user signed in)
        lost = bool(getattr(self._watcher, "lost", False))  # a server office that cannot be reached now
        if lost != getattr(self, "_server_lost", False):
            self._server_lost = lost
            self.server_banner.setVisible(lost)
            if not lost:
                self.statusBar().showMessage(SERVER_BACK, 10_000)
        if self._watcher.changed():
            self.notify_changed(EVERYTHING, follow=self._selected_org)

    # --- loading ---------------------------------------------------------------------------
    def _next(self, key: str) -> int:
        self._generation[key] += 1
        return self._generation[key]

    def _current(self, key: str, generation: int) -> bool:
        return self._generation[key] == generation  # a newer request superseded this answer

    def reload(self) -> None:
        from khoi_desktop.gui import ops  # the jobs (and the database modules) load after the first frame

        generation = self._next("overview")
        self.worker.submit(ops.load_overview(as_of=self._as_of),
                           lambda overview: self._show_overview(generation, overview),
                           lambda error: present_error(self, error))

    def _show_overview(self, generation: int, overview: ops.Overview) -> None:
        if not self._current("overview", generation):
            return
        # The findings, the members and the detail of the selected organization are asked for on the way; their
        # jobs start once the tree has filled and painted (the first of them imports the ORM: ≈ 0.3 s of Python
        # that would share the interpreter with the tree's own calls).
        self.worker.hold()
        self._filled_unshown = True
        try:
            self._fill_overview(generation, overview)
        finally:
            QTimer.singleShot(0, self._show_filled)

    def _show_filled(self) -> None:
        """The tree just filled on screen, then the jobs asked meanwhile started. Qt paints with a low priority,
        after every timer: at start-up the areas' installation (≈ 0.5 s of imports, a timer of its own) came
        before the tree's first paint."""
        if not self._filled_unshown:
            return
        self._filled_unshown = False
        if self.isVisible():
            self.repaint()
        self.worker.release()

    def _fill_overview(self, generation: int, overview: ops.Overview) -> None:
        self.settings = overview.settings
        self.ended_orgs = overview.ended
        self._committee_name = overview.settings.issuing_body_short
        self._update_title()
        keep = self._follow if self._follow in overview.snapshot.nodes else self._selected_org
        self._follow = None
        old = self.tree_model.snapshot
        while old is not None and keep is not None and keep not in overview.snapshot.nodes and keep in old.nodes:
            keep = old.nodes[keep].parent_id  # an ended organization: stay near it, at its parent
        expanded = self._expanded_ids()
        self.tree_model.set_snapshot(overview.snapshot)
        for org_id in expanded:  # a reload keeps the branches the clerk had open
            index = self.tree_model.index_of(org_id)
            if index.isValid():
                self.tree.expand(index)
        self._fit_members_column()
        # The findings (the Charter's, then the meeting, rating and member rules', ORM) from a second job, after
        # the tree: the panel shows them together, its count only then (no number that is about to change).
        self.bottom_tabs.setTabText(1, "Phát hiện (…)")
        from khoi_desktop.gui import ops

        self.worker.submit(ops.load_findings(overview=overview),
                           lambda findings: self._show_findings(generation, findings),
                           lambda error: present_error(self, error))
        counts = overview.counts
        # Short enough to share the status bar with the backup and user notes; the whole line in the tooltip.
        members = f"{thousands(counts.members)} đảng viên ({thousands(counts.probationary)} dự bị)"
        self.totals_label.set_texts(
            f"{counts.tccsd} TCCSĐ ({counts.dang_bo_co_so} đảng bộ cơ sở, {counts.chi_bo_co_so} chi bộ cơ sở), "
            f"{counts.chi_bo_truc_thuoc} chi bộ trực thuộc, {members}",
            f"{counts.tccsd} TCCSĐ, {counts.chi_bo_truc_thuoc} chi bộ trực thuộc, {members}",
            f"{counts.tccsd} TCCSĐ, {members}")
        self.totals_label.setToolTip(f"Tính đến ngày {show_date(counts.as_of)}: {counts.summary()}")
        if keep is not None and keep in overview.snapshot.nodes:
            self.select_org(keep)
        elif overview.snapshot.roots:
            self.tree.setCurrentIndex(self.tree_model.index(0, 0))
        else:
            self._selected_org = None
            self._refresh_members()
        self.overview_loaded.emit()

    def _fit_members_column(self) -> None:
        """The members column as wide as resizeColumnToContents makes it, asking the delegate only for the rows
        with the widest numbers (a tổ chức cơ sở đảng counts its whole subtree, so the widest is at the top
        level): Qt's own fit asks the model for up to a thousand rows, a quarter of the time to the tree filled
        at provincial scale. When the header's title is wider than every number, one row is asked."""
        snapshot, column = self.tree_model.snapshot, OrgTreeModel.COL_MEMBERS
        header = self.tree.header()
        if snapshot is None or not snapshot.roots:
            self.tree.resizeColumnToContents(column)
            return
        metrics = self.tree.fontMetrics()
        advance = {text: metrics.horizontalAdvance(text)
                   for text in {thousands(snapshot.nodes[i].members) for i in snapshot.roots}}
        most = max(advance.values())
        wide = most - 2  # and those within rounding of it: the delegate measures them
        rows: dict[str, int] = {}
        for row, org_id in enumerate(snapshot.roots):
            text = thousands(snapshot.nodes[org_id].members)
            if advance[text] >= wide:
                rows.setdefault(text, row)
        least = 0 if header.isHidden() else header.sectionSizeHint(column)
        text, row = next(iter(rows.items()))
        margin = self.tree.sizeHintForIndex(self.tree_model.index(row, column)).width() - advance[text]
        if most + margin + 3 <= least:  # the header's title is wider than every number (the usual case): the
            header.resizeSection(column, least)  # delegate asked for one row, not for the ≈ 130 near the widest
            return
        widest = max(self.tree.sizeHintForIndex(self.tree_model.index(row, column)).width() for row in rows.values())
        header.resizeSection(column, max(widest, least))

    def _show_findings(self, generation: int, findings: list[Finding]) -> None:
        if not self._current("overview", generation):
            return
        self.findings.set_findings(findings)
        self.bottom_tabs.setTabText(1, f"Phát hiện ({len(findings)})")

    def _refresh_members(self) -> None:
        from khoi_desktop.gui import ops

        generation = self._next("members")
        text = self.search_edit.text().strip()
        snapshot = self.tree_model.snapshot
        if text:
            job = ops.find_members(text=text, as_of=self._as_of)
            title = f"Kết quả tìm «{text}»"
        elif snapshot is not None and self._selected_org in snapshot.nodes:
            node = snapshot.nodes[self._selected_org]
            job = ops.load_members(org_ids=snapshot.subtree_ids(node.id), as_of=self._as_of)
            title = f"Đảng viên của {node.name}"
        else:
            self.member_model.set_rows([])
            self.members_title.setText("Chưa chọn tổ chức")
            self.members_loaded.emit()
            return
        self.worker.submit(job, lambda rows: self._show_members(generation, title, rows, searched=bool(text)),
                           lambda error: present_error(self, error))

    def _show_members(self, generation: int, title: str, rows: list[MemberRow], *, searched: bool = False) -> None:
        if not self._current("members", generation):
            return
        from khoi_desktop.core.members import SEARCH_LIMIT

        self.member_model.set_rows(rows)
        if searched and len(rows) >= SEARCH_LIMIT:  # the search stops there: the title says so
            self.members_title.setText(f"{title}: {thousands(len(rows))} đảng viên đầu tiên (còn nữa; gõ thêm họ "
                                       "tên để thu hẹp)")
        else:
            self.members_title.setText(f"{title}: {thousands(len(rows))} đảng viên")
        self.members_loaded.emit()

    def _show_detail(self, generation: int, show, detail) -> None:  # type: ignore[no-untyped-def]
        if self._current("detail", generation):
            show(detail)
            self.detail_loaded.emit()

    def _expanded_ids(self) -> list[int]:
        model, found, stack = self.tree_model, [], [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                if self.tree.isExpanded(index):
                    found.append(index.data(OrgTreeModel.OrgIdRole))
                    stack.append(index)
        return found

    def notify_changed(self, changes: Changes, follow: int | None = None) -> None:
        """After a write: reload what this window shows if the write touched it, and tell the other screens
        what changed. `follow` is the organization to select afterwards (the one that now holds the members
        of an ended one)."""
        if self._watcher is not None:
            self._watcher.forget()
        if changes & OVERVIEW:
            self._follow = follow
            self.reload()
        self.data_changed.emit(changes)

    def on_change(self, areas: Changes, slot: Callable[[], object]) -> Callable[[object], None]:
        """Call `slot` after each write that touches one of `areas`; returns the connection, to disconnect."""
        def relay(changes: object) -> None:
            if isinstance(changes, frozenset) and changes & areas:
                slot()

        self.data_changed.connect(relay)
        return relay

    # --- context menus ---------------------------------------------------------------------
    def selected_node(self) -> OrgNode | None:
        snapshot = self.tree_model.snapshot
        if snapshot is None or self._selected_org is None:
            return None
        return snapshot.nodes.get(self._selected_org)

    def tree_menu(self, node: OrgNode | None) -> QMenu:
        menu = QMenu(self)
        for provider in self.tree_menu_providers:
            provider(menu, node)
        gate_menu(menu, self.user)
        return menu

    def _show_tree_menu(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        menu = self.tree_menu(index.internalPointer() if index.isValid() else None)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(position))

    def finding_menu(self, finding: Finding) -> QMenu:
        menu = QMenu(self)
        tag(menu.addAction("Đến tổ chức này", lambda: self.select_org(finding.org_id)), Permission.READ)
        for provider in self.finding_menu_providers:
            provider(menu, finding)
        gate_menu(menu, self.user)
        return menu

    def _show_finding_menu(self, position: QPoint) -> None:
        finding = self.findings.finding_at(position)
        if finding is not None:
            self.select_org(finding.org_id)
            self.finding_menu(finding).exec(self.findings.viewport().mapToGlobal(position))

    # --- reactions -------------------------------------------------------------------------
    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.setDate(QDate(day.year, day.month, day.day))

    def _on_as_of_changed(self, date: QDate) -> None:
        self._as_of = dt.date(date.year(), date.month(), date.day())
        self._show_viewed_day()
        self.reload()

    def _on_as_of_problem(self, problem: str) -> None:
        """«Xem tại ngày» was left with a text that is not a date (or put right): the window says the tree still
        shows the last real date, and offers no change on it."""
        self._as_of_problem = problem
        self._show_viewed_day()

    @property
    def as_of(self) -> dt.date:
        return self._as_of

    def viewing_today(self) -> bool:
        return self._as_of == dt.date.today() and not self._as_of_problem

    def _show_viewed_day(self) -> None:
        """Another day than today: the title and the status bar say so, and changes are not offered."""
        today = self.viewing_today()
        when = "quá khứ" if self._as_of < dt.date.today() else "tương lai"
        day = show_date(self._as_of)
        if self._as_of_problem:
            self._show_wrong_day(day)
            return
        self.past_label.setStyleSheet(PAST_STYLE)
        # Short: it shares the status bar with the totals, the backup note and the user on a 1366 px screen.
        self.past_label.set_texts(f"Xem ngày {day}: chỉ xem", f"{day}: chỉ xem")
        self.past_label.setToolTip(f"Đang xem dữ liệu tại ngày {day} ({when}): chỉ xem, không sửa. Bấm «Hôm nay» "
                                   "để trở lại ngày hôm nay và làm việc.")
        self.past_label.setVisible(not today)
        for action in self.today_only_actions:
            action.setEnabled(today)
            action.setToolTip("" if today else "Chỉ làm được khi xem dữ liệu ngày hôm nay (nút «Hôm nay»).")
        self._update_title()

    def select_org(self, org_id: int) -> None:
        index = self.tree_model.index_of(org_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _on_tree_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        org_id = indexes[0].data(OrgTreeModel.OrgIdRole)
        self._selected_org = org_id
        if self.search_edit.text().strip():
            self.search_edit.clear()  # picking an organization leaves the search
        self._refresh_members()
        generation = self._next("detail")
        from khoi_desktop.gui import ops

        self.worker.submit(
            ops.load_org_detail(org_id=org_id, as_of=self._as_of, committee_name=self._committee_name),
            lambda detail: self._show_detail(generation, self.details.show_org, detail),
            lambda error: present_error(self, error),
        )

    def _on_member_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        code = self.member_model.row_at(indexes[0].row()).code
        generation = self._next("detail")
        from khoi_desktop.gui import ops

        self.worker.submit(ops.load_member_detail(code=code, as_of=self._as_of),
                           lambda detail: self._show_detail(generation, self.details.show_member, detail),
                           lambda error: present_error(self, error))
        self.bottom_tabs.setCurrentWidget(self.details)

    def _on_busy(self, busy: bool) -> None:
        if not self.built:  # the first frame has no busy notice yet
            return
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_label.hide()

    def _show_wrong_day(self, day: str) -> None:
        typed = self.as_of_edit.text()
        self.past_label.setStyleSheet(WRONG_DAY_STYLE)
        self.past_label.set_texts(f"«Xem tại ngày» chưa đúng: {self._as_of_problem} Vẫn đang hiện ngày {day}.",
                                  f"Ngày «{typed}» chưa đúng: vẫn đang hiện ngày {day}",
                                  f"Ngày chưa đúng: đang hiện {day}")
        self.past_label.setToolTip(f"«Xem tại ngày»: {self._as_of_problem}\nCây tổ chức và danh sách đảng viên "
                                   f"vẫn là của ngày {day}. Gõ lại ngày (dạng 05/03/2026) hoặc bấm «Hôm nay».")
        self.past_label.setVisible(True)
        for action in self.today_only_actions:
            action.setEnabled(False)
            action.setToolTip("Ô «Xem tại ngày» chưa phải một ngày có thật: gõ lại ngày hoặc bấm «Hôm nay».")
        self.setWindowTitle(f"{self._committee_name} – {self.worker.path.name} – ngày «{typed}» chưa đúng, "
                            f"đang hiện ngày {day}")

    def _update_title(self) -> None:
        if self._as_of_problem:
            self._show_wrong_day(show_date(self._as_of))
            return
        day = "" if self.viewing_today() else f" – xem tại ngày {show_date(self._as_of)}"
        self.setWindowTitle(f"{self._committee_name} – {self.worker.path.name}{day}")

    # --- files -----------------------------------------------------------------------------
    def _choose_database(self) -> None:
        from khoi_desktop.gui.file_dialogs import ask_open_path

        path = ask_open_path(self, "Mở tệp dữ liệu", "Cơ sở dữ liệu (*.db *.sqlite);;Mọi tệp (*)",
                             self.worker.db.path.parent)
        if path is not None:
            self.open_file(path)

    def _choose_server(self) -> None:
        from khoi_desktop.gui.remembered_server import remembered_server
        from khoi_desktop.gui.server_dialog import ServerDialog

        dialog = ServerDialog(self, address=remembered_server())
        if dialog.exec() == ServerDialog.DialogCode.Accepted:
            self.open_server(dialog.url())

    def open_server(self, url: str) -> None:
        """A server office in this window: no file lock (many workstations share the server by design)."""
        from khoi_desktop.gui.app import run_with_progress

        if not self._agree_to_lose_typed(closing=False):
            return
        worker = DbWorker(None, self, path=url)
        try:
            worker.db = run_with_progress(worker, worker.open_job(), "Đang kết nối máy chủ dữ liệu…")
        except Exception as error:
            worker.close()
            present_error(self, error)
            return
        if not self.sign_in(worker.db):
            worker.close()
            return
        if self.database_lock is not None:
            self.database_lock.release()
            self.database_lock = None
        from khoi_desktop.gui.remembered_server import remember_server

        remember_server(url)  # the next start opens this server office again
        self._close_office_dialogs()
        self.worker.close()
        self._connect_worker(worker)
        self._selected_org = None
        self._update_title()
        self.reload()

    def open_file(self, path: Path) -> None:
        """Another file: opened (an older one migrated, with a progress dialog) on its new worker's thread,
        so the window keeps painting."""
        from khoi_desktop.core.database_lock import DatabaseInUse, DatabaseLock
        from khoi_desktop.gui.app import run_with_progress

        if not self._agree_to_lose_typed(closing=False):
            return
        same = self.database_lock is not None and _same_file(path, self.worker.db.path)
        lock = self.database_lock if same else DatabaseLock(path)  # one window per file, for every account
        if lock is not None and not lock.acquire():
            present_error(self, DatabaseInUse(path, lock.holder))
            return
        worker = DbWorker(None, self, path=path)
        try:
            if _locked(path):  # an encrypted file not unlocked yet: the login opens it
                from khoi_desktop.gui.auth.encrypted import sign_in_encrypted

                signed_in = sign_in_encrypted(worker, self) is not None
            else:
                worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
                signed_in = self.sign_in(worker.db)  # each file has its own accounts
        except Exception as error:
            worker.close()
            if not same and lock is not None:
                lock.release()
            present_error(self, error)
            return
        if not signed_in:
            worker.close()
            if not same and lock is not None:
                lock.release()
            return
        if not same and self.database_lock is not None:
            self.database_lock.release()
        self.database_lock = lock
        from khoi_desktop.gui.remembered_server import forget_server

        forget_server()  # a file chosen over the server: the next start opens the file, as before
        self._close_office_dialogs()
        self.worker.close()
        self._connect_worker(worker)
        self._selected_org = None
        self._update_title()
        self.reload()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "Giới thiệu",
                          f"<b>khoi-desktop {__version__}</b><br>Quản lý tổ chức cơ sở đảng, đảng viên và "
                          f"quyết định của Đảng ủy Khối.<br>Dữ liệu: {self.worker.db.location}")

    def quit(self) -> None:
        """Tệp › Thoát (Ctrl+Q): asks first, as the title bar's × does, when a dialog holds typed text."""
        if self._agree_to_lose_typed():
            self.close()

    def may_close(self, event: QCloseEvent) -> bool:
        """The title bar's × over an appointment or a meeting record still being typed asks first (the dialogs are
        not modal: the main window closed and took what was typed with it). Asked before the backup on close
        (BackupController) and again here; a close by the program (tests, a restore) does not ask."""
        return not event.spontaneous() or self._agree_to_lose_typed()

    def _agree_to_lose_typed(self, *, closing: bool = True) -> bool:
        """Asked before the window closes (closing) or other data takes it over dialogs holding typed text; True:
        go on. Closing, the guards are released (the dialogs close without asking again)."""
        from khoi_desktop.gui.escape_guard import unsaved_dialogs

        if self._close_agreed:
            return True
        guards = unsaved_dialogs(self)
        if not guards:
            return True
        from PySide6.QtWidgets import QMessageBox

        what = "Thoát" if closing else "Mở dữ liệu khác"
        names = "\n".join(f"• {guard.dialog.windowTitle()}" for guard in guards)
        box = QMessageBox(QMessageBox.Icon.Question, "Thoát chương trình" if closing else "Mở dữ liệu khác",
                          "Còn nội dung đã nhập mà chưa lưu trong:\n" + names
                          + f"\n\n{what} thì những gì đã nhập sẽ mất.", parent=self)
        close = box.addButton(f"{what}, bỏ nội dung đã nhập", QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton("Quay lại để lưu", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        if box.clickedButton() is not close:
            guards[0].dialog.raise_()
            guards[0].dialog.activateWindow()
            return False
        if closing:
            self._close_agreed = True
            for guard in guards:
                guard.released = True
        return True

    def _close_office_dialogs(self) -> None:
        """The dialogs left open on the office this window leaves (an appointment, a meeting record …) draft and
        save through the window's worker: closed when other data takes the window (the clerk agreed to lose what
        they held), so none saves a request of the old office into the new one."""
        from PySide6.QtWidgets import QDialog

        from khoi_desktop.gui.escape_guard import EscapeGuard

        for guard in self.findChildren(EscapeGuard):
            guard.released = True
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not dialog.isModal():
                dialog.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close(event):
            event.ignore()
            return
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        self.worker.close()
        super().closeEvent(event)

