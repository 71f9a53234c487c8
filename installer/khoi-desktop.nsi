; Per-user installer of khoi-desktop: no administrator rights, Vietnamese texts, upgrade in place.
; Compiles with makensis on Windows (build-windows.ps1) and on Linux with Debian's nsis (build-linux.sh,
; tests/installer): only stock plugins (System, nsExec not needed).
;
;   makensis -DVERSION=0.1.0 [-DPAYLOAD=dist\khoi-desktop] [-DOUTFILE=dist\khoi-desktop-setup-0.1.0.exe]
;            [-DCOMPRESSOR=zlib|none] installer\khoi-desktop.nsi
; (relative paths are relative to this folder; -D works with makensis on Windows and Linux alike)
;
; The clerk's data (database, backups, logs) lives in %LOCALAPPDATA%\khoi-desktop\khoi-desktop, never in
; the program folder: installing, upgrading and uninstalling leave it alone. A newer version migrates the
; database on first start, after copying it aside (core/db.py).

Unicode true
!ifdef TARGET  ; e.g. -DTARGET=amd64-unicode: a 64-bit installer (the default is x86-unicode, for every Windows)
  Target ${TARGET}
!endif
ManifestDPIAware true
ManifestSupportedOS all

!ifndef VERSION
  !error "Thiếu phiên bản: makensis -DVERSION=0.1.0 installer\khoi-desktop.nsi"
!endif
!ifndef VERSION4  ; VIProductVersion needs four numbers
  !define VERSION4 "${VERSION}.0"
!endif
!ifndef PAYLOAD
  !define PAYLOAD "..\dist\khoi-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\khoi-desktop-setup-${VERSION}.exe"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR "lzma"
!endif

!define APP_ID "khoi-desktop"
!define APP_NAME "Quản lý tổ chức đảng"
!define APP_EXE "khoi-desktop.exe"
!define CLI_EXE "khoi-desktop-cli.exe"  ; the same program with a console, for commands typed in a terminal
!define PUBLISHER "Văn phòng Đảng ủy Khối"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SHORTCUT "${APP_NAME}.lnk"
!define DATA_HINT "%LOCALAPPDATA%\khoi-desktop\khoi-desktop"

!if "${COMPRESSOR}" == "none"
  SetCompress off
!else if "${COMPRESSOR}" == "zlib"
  SetCompressor zlib
!else
  SetCompressor /SOLID ${COMPRESSOR}
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME} ${VERSION}"
Caption "Cài đặt ${APP_NAME} ${VERSION}"
UninstallCaption "Gỡ bỏ ${APP_NAME}"
BrandingText "khoi-desktop ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "© ${PUBLISHER}"

!define MUI_ICON "khoi-desktop.ico"
!define MUI_UNICON "khoi-desktop.ico"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Dừng cài đặt ${APP_NAME}?"
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình sẽ được cài cho riêng tài khoản Windows đang dùng trên máy này, không cần quyền quản trị.$\r$\n$\r$\nNếu máy đã có phiên bản cũ, bản mới được cài đè lên. Dữ liệu, bản sao lưu và nhật ký trong thư mục ${DATA_HINT} được giữ nguyên; cơ sở dữ liệu được nâng cấp khi mở chương trình lần đầu (bản cũ được chép ra một tệp riêng trước khi nâng cấp).$\r$\n$\r$\nHãy đóng ${APP_NAME} trước khi tiếp tục.$\r$\n$\r$\n$_CLICK"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "Đã cài xong ${APP_NAME} ${VERSION}.$\r$\n$\r$\nDữ liệu nằm trong ${DATA_HINT}."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME} ngay"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "Chương trình sẽ được gỡ khỏi thư mục dưới đây. Dữ liệu, bản sao lưu và nhật ký trong ${DATA_HINT} KHÔNG bị xóa: cài lại là dùng tiếp được, muốn xóa hẳn thì tự xóa thư mục đó sau khi đã chép bản sao lưu đi nơi khác."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

; The app is running when one of its program files cannot be opened for writing: Windows keeps a running
; executable locked, whether it is the window, a scheduled `backup` or a command in a terminal.
!macro IN_USE FILE
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $0 "${FILE}" a
    ${If} ${Errors}
      StrCpy $1 "1"
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
!macroend

!macro REFUSE_WHILE_RUNNING UN
Function ${UN}RefuseWhileRunning
  ${Do}
    StrCpy $1 ""
    !insertmacro IN_USE "$INSTDIR\${APP_EXE}"
    !insertmacro IN_USE "$INSTDIR\${CLI_EXE}"
    ${If} $1 == ""
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} đang chạy (cửa sổ chương trình hoặc một tác vụ sao lưu theo lịch).$\r$\n$\r$\nHãy đóng chương trình rồi bấm «Thử lại» (Retry); bấm «Hủy» (Cancel) để dừng, máy không bị thay đổi gì." /SD IDCANCEL IDRETRY retry
    SetErrorLevel 2
    Quit
    retry:
  ${Loop}
FunctionEnd
!macroend
!insertmacro REFUSE_WHILE_RUNNING ""
!insertmacro REFUSE_WHILE_RUNNING "un."

Function .onInit
  Call RefuseWhileRunning
FunctionEnd

Section "Chương trình ${APP_NAME} (bắt buộc)" SecProgram
  SectionIn RO
  Call RefuseWhileRunning
  SetOutPath "$INSTDIR"
  ; Upgrade in place: the previous version's bundle goes first, so no stale module or migration script
  ; of it is left beside the new ones. Only program files live here.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  File /r "${PAYLOAD}\*"
  File "/oname=$INSTDIR\khoi-desktop.ico" "khoi-desktop.ico"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME} (khoi-desktop)"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\${UNINSTALLER}$\""
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\${UNINSTALLER}$\" /S"
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "Lối tắt trong menu Start" SecStartMenu
  SetOutPath "$INSTDIR"
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section "Lối tắt trên màn hình nền" SecDesktop
  SetOutPath "$INSTDIR"
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Function un.onInit
  Call un.RefuseWhileRunning
FunctionEnd

; Removes what the installer put there, by name: never the data folder, never the whole $INSTDIR
; recursively (an administrator may have chosen a folder that holds other files).
Section "Uninstall"
  Call un.RefuseWhileRunning
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\khoi-desktop.ico"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DetailPrint "Dữ liệu và bản sao lưu vẫn ở ${DATA_HINT}."
SectionEnd
