@echo off
rem `swarmdrop`, the command line, from an installed desktop app: the same CLI as the npm
rem package, run by the app's own Electron in Node mode. Installed as <app>\resources\bin\.
setlocal
set "ELECTRON_RUN_AS_NODE=1"
"%~dp0..\..\Swarmdrop.exe" "%~dp0..\app.asar\dist\main\agent\cli.js" %*
