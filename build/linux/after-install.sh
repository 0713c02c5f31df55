#!/bin/sh
# Debian package hook (electron-builder fills in ${...}): put the app and its command line on
# PATH, and let Chromium's sandbox helper run where unprivileged user namespaces are off.
app='/opt/${sanitizedProductName}'
ln -sf "$app/${executable}" '/usr/bin/${executable}'
ln -sf "$app/resources/bin/swarmdrop" /usr/bin/swarmdrop
chmod 4755 "$app/chrome-sandbox" 2>/dev/null || true
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
