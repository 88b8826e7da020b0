// The organiser console's enhancements (every console page works without this script).
'use strict';
