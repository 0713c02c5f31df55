#!/bin/sh
# Debian package hook: remove the links after-install.sh made, only if they still point at us.
for link in '/usr/bin/${executable}' /usr/bin/swarmdrop; do
  case "$(readlink "$link" 2>/dev/null)" in
    '/opt/${sanitizedProductName}/'*) rm -f "$link" ;;
  esac
done
