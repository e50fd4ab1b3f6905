// Keeps the panes of a reading layout together. The current visit's pane
// leads: the others show the slice at the same anatomy (through each one's
// alignment to it), and copy its window and its zoom and pan, each when its
// toggle is on. Every scroll, from any pane, moves the leader.
import type { SeriesImage } from '../../../shared/contract';
import { IDENTITY } from '../../../shared/registration';
import { correspondingSlice, nearestSlice } from '../../../shared/slice-sync';
import type { RigidMotion, Vec3 } from '../../../shared/vector';
import type { CheckTool, StackSession, StackState } from '../viewer/stack-session';

export interface SyncSettings {
  slices: boolean;
  window: boolean;
  zoomPan: boolean;
}

interface Member {
  session: StackSession;
  images: readonly SeriesImage[];
  /** Current visit's patient coordinates -> this pane's. */
  transform: RigidMotion;
  /** Shows images resampled from another grid (the aligned comparator): the reader's checks measure acquired images only, so it takes no check tool. */
  resampled: boolean;
}

export class PaneGroup {
  private readonly members = new Map<string, Member>();
  private leaderId: string | null = null;
  /**
   * Slices a follower keeps while the leader is on a given slice: after a
   * jump to a lesion, a pane whose visit has its own mark of the lesion
   * shows that mark's slice rather than the one the alignment gives.
   */
  private pins = new Map<string, { leaderIndex: number; index: number }>();
  /** The check tool every pane holds, panes that join later included. */
  private checkTool: CheckTool | null = null;

  /** `onLeaderMoved` hears every slice the leader lands on (the reading room remembers it). */
  constructor(
    private settings: SyncSettings,
    private readonly onLeaderMoved: (images: readonly SeriesImage[], index: number) => void = () => undefined,
  ) {}

  setSettings(settings: SyncSettings): void {
    this.settings = settings;
    this.followLeader();
  }

  join(id: string, member: Member, leads: boolean): void {
    this.members.set(id, member);
    member.session.setCheckTool(member.resampled ? null : this.checkTool);
    if (leads) this.leaderId = id;
    this.followLeader();
  }

  /** Only the session that joined under this id can leave it (a newer one may have taken its place). */
  leave(id: string, session: StackSession): void {
    if (this.members.get(id)?.session !== session) return;
    this.members.delete(id);
    if (this.leaderId === id) this.leaderId = null;
  }

  setTransform(id: string, transform: RigidMotion): void {
    const member = this.members.get(id);
    if (!member) return;
    member.transform = transform;
    this.followLeader();
  }

  leader(): StackSession | null {
    return this.leaderId ? (this.members.get(this.leaderId)?.session ?? null) : null;
  }

  /** Scrolling any pane scrolls the leader; the others follow it. */
  step(delta: number): void {
    this.leader()?.step(delta);
  }

  page(direction: 1 | -1): void {
    this.leader()?.page(direction);
  }

  /**
   * Brings every pane to a lesion (or a candidate): `pointFor` says where to look on a pane
   * (in the patient coordinates of the images it shows) and the visit of the mark it comes
   * from (the pane's own: the lesion's own mark there). The leader goes to the nearest slice and centres the point
   * when zoomed in; a follower with its own mark keeps that mark's slice.
   */
  goToLesion(pointFor: (paneId: string) => { point: Vec3; from: string } | null): void {
    const leaderId = this.leaderId;
    const leader = leaderId ? this.members.get(leaderId) : undefined;
    const there = leaderId ? pointFor(leaderId) : null;
    const target = there && leader ? nearestSlice(leader.images, there.point) : null;
    if (!leader || !there || !target) return;
    this.pins = new Map();
    for (const [id, member] of this.members) {
      const own = id === leaderId ? null : pointFor(id);
      const index = own?.from === id ? nearestSlice(member.images, own.point)?.index : undefined;
      if (index !== undefined) this.pins.set(id, { leaderIndex: target.index, index });
    }
    leader.session.goTo(target.index);
    leader.session.centreOn(there.point);
    this.followLeader();
  }

  setCheckTool(tool: CheckTool | null): void {
    this.checkTool = tool;
    for (const member of this.members.values()) member.session.setCheckTool(member.resampled ? null : tool);
  }

  /** One cine frame: the leader steps on, from the last slice back to the first; the others follow. */
  cineStep(): void {
    const leader = this.leader();
    if (!leader) return;
    const count = this.leaderImages().length;
    leader.goTo(leader.index() + 1 >= count ? 0 : leader.index() + 1);
  }

  each(action: (session: StackSession) => void): void {
    for (const member of this.members.values()) action(member.session);
  }

  /** A pane's state changed: when the leader moved or changed window, the others follow. */
  stateChanged(id: string, state: StackState): void {
    if (id !== this.leaderId) return;
    if (state.index >= 0) this.onLeaderMoved(this.leaderImages(), state.index);
    if (this.settings.slices && state.index >= 0) this.followSlice(state.index);
    if (this.settings.window && state.window) for (const [otherId, member] of this.members) if (otherId !== id) member.session.applyWindow(state.window);
  }

  /** A pane was zoomed or panned by the reader: every other pane takes the same view. */
  cameraChanged(id: string): void {
    if (!this.settings.zoomPan) return;
    const source = this.members.get(id);
    if (!source) return;
    const view = source.session.camera();
    for (const [otherId, member] of this.members) if (otherId !== id) member.session.applyCamera(view);
  }

  private leaderImages(): readonly SeriesImage[] {
    return (this.leaderId ? this.members.get(this.leaderId)?.images : undefined) ?? [];
  }

  /** Every pane to the leader's slice and window (a pane that joins later, such as the comparator switched to its aligned view, included). */
  private followLeader(): void {
    const leader = this.leader();
    if (!leader) return;
    const index = leader.index();
    if (this.settings.slices && index >= 0) this.followSlice(index);
    const window = leader.displayWindow();
    // Only a pane showing an image takes a window: one still loading takes it once open (ReadingPane sets its transform then, which comes here).
    if (this.settings.window && window) for (const member of this.members.values()) if (member.session !== leader && member.session.index() >= 0) member.session.applyWindow(window);
  }

  private followSlice(index: number): void {
    const leader = this.leaderId ? this.members.get(this.leaderId) : undefined;
    if (!leader) return;
    for (const [id, member] of this.members) {
      if (id === this.leaderId) continue;
      const pin = this.pins.get(id);
      const target = pin?.leaderIndex === index ? pin.index : correspondingSlice(leader.images, index, member.images, member.transform ?? IDENTITY);
      if (target !== null) member.session.goTo(target);
    }
  }
}
