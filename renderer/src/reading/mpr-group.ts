// Keeps the two rows of the MPR layout together. The current visit's row
// leads: its three planes meet at the crosshair's centre, a click on any view
// brings the other two planes through the point clicked, and each of the
// comparator's views takes the camera of the current visit's view carried
// through the alignment (comparator(T(p)) shows current(p)), so the same
// anatomy lies under the same canvas point in both rows. Window and zoom
// follow as the 2D layout's sync settings say, and the check tool in hand and
// the inversion hold for every view, rows that join later included.
import { carryCamera, planesMeet } from '../../../shared/mpr-planes';
import { applyTransform, IDENTITY } from '../../../shared/registration';
import { inverseTransform } from '../../../shared/slice-sync';
import type { RigidMotion, Vec3 } from '../../../shared/vector';
import type { CheckTool } from '../viewer/check-tools';
import { type MprSession, PLANE_AXES, type PlaneAxis } from '../viewer/mpr-session';
import type { SyncSettings } from './pane-group';

export type MprRow = 'current' | 'comparator';

export class MprGroup {
  private readonly rows = new Map<MprRow, MprSession>();
  private transform: RigidMotion = IDENTITY;
  /** The view the reader last pointed at: its plane is the one the arrow keys scroll and cine plays (the current visit's), and the one maximised. */
  private active: { row: MprRow; axis: PlaneAxis } = { row: 'current', axis: 'axial' };
  private checkTool: CheckTool | null = null;
  private inverted = false;
  private version = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private settings: SyncSettings) {}

  /** For useSyncExternalStore: bumped whenever a camera or a window changes, so that overlays draw again. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): number => this.version;

  join(row: MprRow, session: MprSession): void {
    this.rows.set(row, session);
    session.setCheckTool(this.checkTool);
    for (const axis of PLANE_AXES) session.view(axis).setInverted(this.inverted);
    this.followAll();
  }

  /** Only the session that joined can leave (a newer one may have taken its place). */
  leave(row: MprRow, session: MprSession): void {
    if (this.rows.get(row) === session) this.rows.delete(row);
  }

  session(row: MprRow): MprSession | null {
    return this.rows.get(row) ?? null;
  }

  setTransform(transform: RigidMotion): void {
    this.transform = transform;
    this.followAll();
  }

  setSettings(settings: SyncSettings): void {
    this.settings = settings;
    this.followAll();
  }

  /** Current visit's patient coordinates -> a row's, as a motion. */
  rowTransform(row: MprRow): RigidMotion {
    return row === 'current' ? IDENTITY : this.transform;
  }

  /** Current visit's patient coordinates -> a row's. */
  toRow(row: MprRow, point: Vec3): Vec3 {
    return row === 'current' ? point : applyTransform(this.transform, point);
  }

  /** A row's patient coordinates -> the current visit's. */
  toCurrent(row: MprRow, point: Vec3): Vec3 {
    return row === 'current' ? point : applyTransform(inverseTransform(this.transform), point);
  }

  /** Where the three planes of a row meet, in that row's patient coordinates. */
  centre(row: MprRow): Vec3 | null {
    const session = this.rows.get(row);
    const planes = session ? PLANE_AXES.map((axis) => session.view(axis).plane()) : [];
    const [a, b, c] = planes;
    return a && b && c ? planesMeet(a, b, c) : null;
  }

  /** The crosshair to a point of a row (in its patient coordinates): the current visit's planes move through it, the comparator's follow. */
  pointTo(row: MprRow, point: Vec3): void {
    const current = this.rows.get('current');
    if (!current) return;
    const target = this.toCurrent(row, point);
    for (const axis of PLANE_AXES) current.view(axis).moveOnto(target);
  }

  setActive(row: MprRow, axis: PlaneAxis): void {
    this.active = { row, axis };
  }

  /** The view the reader last pointed at. */
  activeView(): { row: MprRow; axis: PlaneAxis } {
    return this.active;
  }

  /** Scrolls a view of the current visit (the active one without an axis) by whole steps of the volume. */
  step(delta: number, axis: PlaneAxis = this.active.axis): void {
    const view = this.rows.get('current')?.view(axis);
    const step = view?.step();
    if (view && step) view.moveBy(delta * step, true);
  }

  /** A tenth of the volume along the active view's normal. */
  page(direction: 1 | -1): void {
    const view = this.rows.get('current')?.view(this.active.axis);
    const step = view?.step();
    if (view && step) view.moveBy(direction * step * Math.max(1, Math.round(view.depth() / step / 10)), true);
  }

  /** One cine frame: the active plane of the current visit a step on, round from the last to the first; the comparator's follows as a scroll's does. */
  cineStep(): void {
    this.rows.get('current')?.view(this.active.axis).advance();
  }

  setCheckTool(tool: CheckTool | null): void {
    this.checkTool = tool;
    for (const session of this.rows.values()) session.setCheckTool(tool);
  }

  isInverted(): boolean {
    return this.inverted;
  }

  /** Every view of both rows shown inverted, or not. */
  setInverted(inverted: boolean): void {
    this.inverted = inverted;
    for (const session of this.rows.values()) for (const axis of PLANE_AXES) session.view(axis).setInverted(inverted);
    this.changed();
  }

  each(action: (session: MprSession) => void): void {
    for (const session of this.rows.values()) action(session);
  }

  /** A view's camera moved: the comparator's same view follows the current visit's. */
  cameraChanged(row: MprRow, axis: PlaneAxis): void {
    if (row === 'current') this.follow(axis);
    this.changed();
  }

  /** A window changed on a view of the current visit: the other views take it (the comparator's when window sync is on). */
  windowChanged(row: MprRow, axis: PlaneAxis): void {
    const current = this.rows.get('current');
    if (row === 'current' && current) {
      const window = current.view(axis).window();
      if (window) {
        for (const other of PLANE_AXES) if (other !== axis) current.view(other).applyWindow(window);
        const comparator = this.rows.get('comparator');
        if (comparator && this.settings.window) for (const other of PLANE_AXES) comparator.view(other).applyWindow(window);
      }
    }
    this.changed();
  }

  private follow(axis: PlaneAxis): void {
    const camera = this.rows.get('current')?.view(axis).camera();
    const follower = this.rows.get('comparator')?.view(axis);
    if (!camera || !follower) return;
    const carried = carryCamera(this.transform, camera);
    follower.setCamera(this.settings.zoomPan ? { ...carried, parallelScale: camera.parallelScale } : carried);
  }

  /** Every view of the comparator to the current visit's, and its window (a row that has just shown its volume included). */
  followAll(): void {
    for (const axis of PLANE_AXES) this.follow(axis);
    const window = this.rows.get('current')?.view('axial').window();
    const comparator = this.rows.get('comparator');
    if (window && comparator && this.settings.window) for (const axis of PLANE_AXES) comparator.view(axis).applyWindow(window);
    this.changed();
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}
