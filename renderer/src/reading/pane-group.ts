// Keeps the panes of a reading layout together. The current visit's pane
// leads: the others show the slice at the same anatomy (through each one's
// alignment to it), and copy its window and its zoom and pan, each when its
// toggle is on. Every scroll, from any pane, moves the leader.
import type { SeriesImage } from '../../../shared/contract';
import { applyTransform, IDENTITY } from '../../../shared/registration';
import { correspondingSlice, inverseTransform, nearestSlice } from '../../../shared/slice-sync';
import type { RigidMotion, Vec3 } from '../../../shared/vector';
import type { StackSession, StackState } from '../viewer/stack-session';

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
}

export class PaneGroup {
  private readonly members = new Map<string, Member>();
  private leaderId: string | null = null;

  constructor(private settings: SyncSettings) {}

  setSettings(settings: SyncSettings): void {
    this.settings = settings;
    this.followLeader();
  }

  join(id: string, member: Member, leads: boolean): void {
    this.members.set(id, member);
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
   * Brings the leader to the slice nearest a patient point, given in the
   * coordinates of the pane that joined as `paneId` (the visit the point was
   * marked at): its alignment maps the point to the current visit.
   */
  goToPoint(point: Vec3, paneId: string): void {
    const leader = this.leaderId ? this.members.get(this.leaderId) : undefined;
    if (!leader) return;
    const source = this.members.get(paneId);
    const here = source && paneId !== this.leaderId ? applyTransform(inverseTransform(source.transform), point) : point;
    const nearest = nearestSlice(leader.images, here);
    if (nearest) leader.session.goTo(nearest.index);
  }

  each(action: (session: StackSession) => void): void {
    for (const member of this.members.values()) action(member.session);
  }

  /** A pane's state changed: when the leader moved or changed window, the others follow. */
  stateChanged(id: string, state: StackState): void {
    if (id !== this.leaderId) return;
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

  private followLeader(): void {
    const leader = this.leader();
    if (!leader) return;
    const index = leader.index();
    if (this.settings.slices && index >= 0) this.followSlice(index);
  }

  private followSlice(index: number): void {
    const leader = this.leaderId ? this.members.get(this.leaderId) : undefined;
    if (!leader) return;
    for (const [id, member] of this.members) {
      if (id === this.leaderId) continue;
      const target = correspondingSlice(leader.images, index, member.images, member.transform ?? IDENTITY);
      if (target !== null) member.session.goTo(target);
    }
  }
}
