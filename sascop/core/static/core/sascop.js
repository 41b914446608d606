// SASCOP's own script: small progressive enhancements over server-rendered pages.
"use strict";
