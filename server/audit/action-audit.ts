/**
 * The audit frame of one replicate, add or remove request. Every such request leaves exactly
 * one row: refused (with why) when it is not allowed or not valid, else an attempt row
 * written before the action runs (no row, no action: 500 audit_failed) that gets the
 * outcome before the answer is sent.
 */
import type { AuditAction, RequestPriority } from '@/lib/api-types';

import type { Identity } from '../auth/service';
import { decide, type Permission } from '../auth/policy';
import { ApiError, describeError } from '../http/api-error';
import { moduleLogger } from '../log';
import type { AuditStore } from '../storage/stores';
import type { AuditEvent, AuditResult } from './log';

const log = moduleLogger('audit');

export interface ActionDetails {
  replicator: string;
  mask: string;
  priority?: RequestPriority;
  full?: boolean;
  /** What this very action needs, e.g. replicate-mask for a wildcard. */
  permission: Permission;
}

/** One request's audit row: a refusal, or an attempt and its outcome. */
export class ActionAudit {
  private written = false;

  constructor(
    private readonly audit: AuditStore,
    private readonly identity: Identity,
    private readonly action: AuditAction,
    /** What the row says when the request never got as far as naming them itself. */
    private readonly fallback: { replicator: string | null; mask: string | null },
  ) {}

  /** Who asks for the action. */
  get actor(): string {
    return this.identity.name;
  }

  /** Whether the one asking has a permission (the role's; no mask is involved). */
  may(permission: Permission): boolean {
    return decide(this.identity, permission).ok;
  }

  /** Checks the permission for this mask, then runs the action between its two writes. */
  async run<T>(details: ActionDetails, perform: () => Promise<T>): Promise<T> {
    const decision = decide(this.identity, details.permission, details.mask);
    if (!decision.ok) {
      await this.refuse('forbidden', decision.message, details);
      throw new ApiError(403, 'forbidden', decision.message);
    }

    const id = await this.begin(details);
    try {
      const result = await perform();
      await this.finish(id, { outcome: 'ok', updated: updatedOf(result) });
      return result;
    } catch (error) {
      const { body } = describeError(error);
      const { code, message } = body.error;
      await this.finish(id, { outcome: 'failed', code, message });
      throw error;
    }
  }

  /** Records a refusal, unless this request already has its row. */
  async refuse(code: string, message: string, details?: Partial<ActionDetails>): Promise<void> {
    if (this.written) return;
    this.written = true;
    try {
      await this.audit.record(this.event(details ?? {}), { outcome: 'refused', code, message });
    } catch (error) {
      // The request is refused either way; the missing row is what the log must say.
      log.error({ err: error, ...this.event(details ?? {}) }, 'could not record a refusal');
    }
  }

  private async begin(details: ActionDetails): Promise<number> {
    try {
      const id = await this.audit.begin(this.event(details));
      this.written = true;
      return id;
    } catch (error) {
      this.written = true;
      log.error({ err: error, action: this.action }, 'could not write the audit row');
      throw new ApiError(500, 'audit_failed',
        'the audit trail could not be written, so nothing was done; try again');
    }
  }

  private async finish(id: number, result: AuditResult): Promise<void> {
    try {
      await this.audit.finish(id, result);
    } catch (error) {
      // The action has happened: its answer is still the truth; the row stays `attempt`.
      log.error({ err: error, id, action: this.action }, 'could not record an outcome');
    }
  }

  private event(details: Partial<ActionDetails>): AuditEvent {
    const { name: actor, role, via, source } = this.identity;
    return {
      actor, role, via, source, action: this.action,
      replicator: details.replicator ?? this.fallback.replicator,
      mask: details.mask ?? this.fallback.mask,
      priority: details.priority ?? null,
      full: details.full ?? null,
    };
  }
}

/** How many users a replicate queued, when the result says. */
function updatedOf(result: unknown): number | null {
  const updated = (result as { updated?: unknown } | null)?.updated;
  return typeof updated === 'number' ? updated : null;
}
