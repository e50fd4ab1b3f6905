// The missing-tool policy itself: a tool on PATH is found, a missing one
// fails with the Debian package to install.
import { describe, expect, it } from 'vitest';
import { requireTool } from './tools';

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
