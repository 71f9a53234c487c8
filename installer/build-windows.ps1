<#
.SYNOPSIS
    Build the Windows installer end to end: dist\khoi-desktop-setup-<version>.exe

.DESCRIPTION
    1. a build virtual environment (.venv-build) with Python 3.11 and the app with its "build" extra
       (PyInstaller);
    2. PyInstaller with installer\khoi-desktop.spec -> dist\khoi-desktop\ (one folder, windowed);
    3. installer\check_bundle.py: what the bundle must and must not hold, and its size;
    4. the frozen app's --selftest, windowed and console programs (temporary database, migrations, a
       decision and its PDF, a backup, Qt offscreen), in a throw-away data folder; the build stops if it fails;
    5. makensis installer\khoi-desktop.nsi -> dist\khoi-desktop-setup-<version>.exe and its SHA-256.

    Needs: Python 3.11 from python.org (the "py" launcher) or -Python, and NSIS 3 (choco install nsis,
    or the installer from the NSIS site) or -Makensis. No administrator rights.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
.EXAMPLE
    .\installer\build-windows.ps1 -Python C:\Python311\python.exe -Makensis "C:\Program Files (x86)\NSIS\makensis.exe"
#>
param(
    [string]$Python = "",
    [string]$Makensis = "",
    [switch]$KeepVenv
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Clock = [Diagnostics.Stopwatch]::StartNew()

function Step([string]$Name) {
    Write-Host ("== {0} ({1:N0} s)" -f $Name, $Clock.Elapsed.TotalSeconds)
}

function Invoke-Checked([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$File $($Arguments -join ' ') exited with code $LASTEXITCODE"
    }
}

# 1. Build environment ---------------------------------------------------------------------------
$Venv = Join-Path $Root ".venv-build"
if ((Test-Path $Venv) -and -not $KeepVenv) {
    Remove-Item -Recurse -Force $Venv
}
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    if ($Python) {
        Invoke-Checked $Python @("-m", "venv", $Venv)
    } else {
        Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv)
    }
}
$Py = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", ".[build]")
$Version = (& $Py -c "import sys; sys.path.insert(0, 'installer'); import bundle_config; print(bundle_config.read_version())").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version from src\khoi_desktop\__init__.py" }
Step "build environment, version $Version"

# 2. Frozen bundle -------------------------------------------------------------------------------
foreach ($Old in @("build\pyinstaller", "dist\khoi-desktop")) {
    if (Test-Path $Old) { Remove-Item -Recurse -Force $Old }
}
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                     "--workpath", "build\pyinstaller", "--distpath", "dist", "installer\khoi-desktop.spec")
Step "pyinstaller"

# 3. What it holds -------------------------------------------------------------------------------
Invoke-Checked $Py @("installer\check_bundle.py", "dist\khoi-desktop")
Step "bundle check"

# 4. Self-test of the frozen app -----------------------------------------------------------------
# A windowed exe: its output is read through redirected handles, its exit code decides. The data
# folder is a temporary one, never the builder's own.
$SelftestHome = Join-Path ([IO.Path]::GetTempPath()) ("khoi-selftest-" + [guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $SelftestHome | Out-Null
$Start = New-Object Diagnostics.ProcessStartInfo
$Start.FileName = Join-Path $Root "dist\khoi-desktop\khoi-desktop.exe"
$Start.Arguments = "--selftest"
$Start.UseShellExecute = $false
$Start.RedirectStandardOutput = $true
$Start.RedirectStandardError = $true
$Start.StandardOutputEncoding = [Text.Encoding]::UTF8
$Start.StandardErrorEncoding = [Text.Encoding]::UTF8
$Start.EnvironmentVariables["KHOI_DESKTOP_HOME"] = $SelftestHome
$Start.EnvironmentVariables["QT_QPA_PLATFORM"] = "offscreen"
$Process = [Diagnostics.Process]::Start($Start)
$ErrText = $Process.StandardError.ReadToEndAsync()
$OutText = $Process.StandardOutput.ReadToEnd()
$Process.WaitForExit()
$Log = Join-Path $SelftestHome "logs\khoi-desktop.log"
if ($OutText) {
    Write-Host $OutText
} elseif (Test-Path $Log) {  # no console handles at all: the report is in the log
    Get-Content $Log -Encoding UTF8 | Select-String "selftest:" | ForEach-Object { Write-Host $_.Line }
}
if ($Process.ExitCode -ne 0) {
    Write-Host $ErrText.Result
    if (Test-Path $Log) { Get-Content $Log -Encoding UTF8 | Write-Host }
    throw "the frozen app's --selftest failed (exit code $($Process.ExitCode))"
}
# The console twin prints for sure and makes the terminal wait.
$env:KHOI_DESKTOP_HOME = $SelftestHome
$env:QT_QPA_PLATFORM = "offscreen"
try {
    Invoke-Checked (Join-Path $Root "dist\khoi-desktop\khoi-desktop-cli.exe") @("--selftest")
} finally {
    Remove-Item Env:KHOI_DESKTOP_HOME, Env:QT_QPA_PLATFORM
}
Remove-Item -Recurse -Force $SelftestHome
Step "frozen --selftest"

# 5. Installer -----------------------------------------------------------------------------------
if (-not $Makensis) {
    $Found = Get-Command "makensis.exe" -ErrorAction SilentlyContinue
    if ($Found) {
        $Makensis = $Found.Source
    } else {
        $Makensis = @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe") |
            Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    }
    if (-not $Makensis) { throw "makensis.exe not found: install NSIS 3 (choco install nsis) or pass -Makensis" }
}
$Setup = Join-Path $Root "dist\khoi-desktop-setup-$Version.exe"
Invoke-Checked $Makensis @("-WX", "-V2", "-DVERSION=$Version", "-DPAYLOAD=$Root\dist\khoi-desktop",
                           "-DOUTFILE=$Setup", "installer\khoi-desktop.nsi")
$Hash = (Get-FileHash -Algorithm SHA256 $Setup).Hash.ToLower()
Set-Content -Path "$Setup.sha256" -Value "$Hash  khoi-desktop-setup-$Version.exe" -Encoding ascii
Step "makensis"

$BundleMB = (Get-ChildItem -Recurse -File "dist\khoi-desktop" | Measure-Object -Sum Length).Sum / 1MB
$SetupMB = (Get-Item $Setup).Length / 1MB
Write-Host ("Done: {0} ({1:N1} MB; bundle {2:N1} MB), SHA-256 {3}" -f $Setup, $SetupMB, $BundleMB, $Hash)
