// The missing-tool policy itself: a tool on PATH is found, a missing one
// fails with the Debian package to install; likewise a Python module or an
// R package.
import { describe, expect, it } from 'vitest';
import { requirePythonModule, requireRPackage, requireTool } from './tools';

describe('requireTool', () => {
  it('gives the path of a tool on PATH or at an absolute path', () => {
    expect(requireTool('sh', 'dash')).toMatch(/\/sh$/);
    expect(requireTool(process.execPath, 'nodejs')).toBe(process.execPath);
  });

  it('names the Debian package when the tool is missing', () => {
    expect(() => requireTool('lesiontrack-no-such-tool', 'dicom3tools')).toThrow('lesiontrack-no-such-tool is missing: install the Debian package dicom3tools');
    expect(() => requireTool('/nonexistent/chromium', 'chromium')).toThrow('/nonexistent/chromium is missing: install the Debian package chromium');
  });
});

describe('requirePythonModule and requireRPackage', () => {
  it('give the system interpreter when it loads the module or package', () => {
    expect(requirePythonModule('json', 'python3')).toBe('/usr/bin/python3');
    expect(requireRPackage('stats', 'r-base-core')).toBe('/usr/bin/Rscript');
  });

  it('name the Debian package when it does not', () => {
    expect(() => requirePythonModule('lesiontrack_no_such_module', 'python3-sklearn')).toThrow(
      'the Python module lesiontrack_no_such_module is missing: install the Debian package python3-sklearn',
    );
    expect(() => requireRPackage('lesiontrackNoSuchPackage', 'r-cran-psych')).toThrow('the R package lesiontrackNoSuchPackage is missing: install the Debian package r-cran-psych');
  });
});
