#!/usr/bin/env node
// A committed launcher for the built command: npm links a package's bin only when its file
// exists at install time, and dist/ appears only after the build, so `npm ci` in a fresh
// clone linked no bin when it pointed at dist/cli.js.
import '../dist/cli.js';
