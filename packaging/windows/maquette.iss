; Inno Setup script for Maquette on Windows (64-bit). NOT BUILT HERE: it runs on a Windows CI
; runner after PyInstaller (see packaging/README.md and packaging/ci/installers.yml):
;
;   python -m PyInstaller --noconfirm --distpath build\packaging\dist --workpath build\packaging\work packaging\maquette.spec
;   iscc /DMyAppVersion=<version from pyproject.toml> packaging\windows\maquette.iss
;
; Input:  build\packaging\dist\maquette\  (maquette.exe: windowed GUI; maquette-cli.exe: console
;         commands; _internal\: Python, Qt, VTK, GDAL/PROJ data, the sample city)
; Output: dist\Maquette-<version>-setup.exe
; It installs per machine under Program Files (or per user when not admin), adds Start menu
; entries (Maquette, Maquette on the sample city, the uninstaller), associates *.maquette.json with
; Maquette, and registers the uninstaller (Settings > Apps), which removes all of it. The console
; commands are {app}\maquette-cli.exe (render, info, video...; maquette.exe is windowed).

#ifndef MyAppVersion
  #error Pass the version: iscc /DMyAppVersion=X.Y.Z (read from pyproject.toml by the CI job)
#endif
#define MyAppName "Maquette"
#define MyAppExe "maquette.exe"
#define MyProgId "Maquette.Project"
#define Source "..\..\build\packaging\dist\maquette"

[Setup]
AppId={{6F3C1B2A-9D4E-4B7A-8E21-5C0D7A9B3E14}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=Maquette developers
VersionInfoVersion={#MyAppVersion}
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Maquette-{#MyAppVersion}-setup
SetupIconFile=..\..\assets\maquette.ico
UninstallDisplayIcon={app}\{#MyAppExe}
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
ChangesAssociations=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
french.AssocTask=Ouvrir les projets Maquette (*.maquette.json) avec Maquette
english.AssocTask=Open Maquette projects (*.maquette.json) with Maquette
french.ProjectType=Projet Maquette
english.ProjectType=Maquette project
french.SampleCity=Ville exemple
english.SampleCity=Sample city

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "association"; Description: "{cm:AssocTask}"

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"
Name: "{group}\{#MyAppName} - {cm:SampleCity}"; Filename: "{app}\{#MyAppExe}"; Parameters: """{app}\_internal\sample_city\sample_city.maquette.json"""
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; Tasks: desktopicon

[Registry]
; *.maquette.json: Windows keys associations on the last extension (.json), so the association is
; made on ".json" as an *OpenWithProgids* entry (Maquette is offered in "Open with", the user's
; default JSON editor is kept) and the ProgID carries the name and icon of the document type.
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "{#MyProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#MyProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:ProjectType}"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#MyProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#MyAppExe},0"; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#MyProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MyAppExe}"" ""%1"""; Tasks: association
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#MyAppName}"; Tasks: association

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent
