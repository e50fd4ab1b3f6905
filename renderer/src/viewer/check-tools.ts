// The reader's own checks on an image: a length, an ellipse (area, mean and
// standard deviation) and a probe (the value at a point); never saved, never
// counted. Length and ellipse are Cornerstone's annotation tools, drawn on
// its SVG layer; they measure between patient points from the viewport's own
// canvas<->world mapping, so they measure a reformatted plane of the MPR
// layout as they do an acquired slice. The probe is ours (PaneMarks.tsx):
// Cornerstone 5.14's probe reads a stack's value at the slice number in a
// one-slice image, so it shows nothing past the first slice.
import { EllipticalROITool, Enums as ToolEnums, LengthTool, type Types, WindowLevelTool } from '@cornerstonejs/tools';

export type CheckTool = 'length' | 'ellipse' | 'probe';

const CHECK_TOOL_NAMES: Readonly<Partial<Record<CheckTool, string>>> = { length: LengthTool.toolName, ellipse: EllipticalROITool.toolName };

/** Adds the check tools to a tool group, passive until taken: what was drawn stays shown, and its handles can be moved. */
export function addCheckTools(toolGroup: Types.IToolGroup): void {
  for (const name of Object.values(CHECK_TOOL_NAMES)) {
    toolGroup.addTool(name);
    toolGroup.setToolPassive(name);
  }
}

/** Puts a check tool on the left button in place of window-level, or gives the button back to window-level (null, or the probe, whose layer takes the clicks). */
export function holdCheckTool(toolGroup: Types.IToolGroup, tool: CheckTool | null): void {
  const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
  for (const name of Object.values(CHECK_TOOL_NAMES)) toolGroup.setToolPassive(name);
  const name = tool ? CHECK_TOOL_NAMES[tool] : undefined;
  if (name) {
    toolGroup.setToolPassive(WindowLevelTool.toolName);
    toolGroup.setToolActive(name, { bindings: primary });
  } else toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: primary });
}
