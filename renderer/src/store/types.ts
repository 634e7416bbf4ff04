/**
 * The renderer's one store: a zustand store bound from typed slices. Slices hold state and actions; actions call
 * the API client only (renderer/src/api), never anything else, and report failures as notices.
 */
import type { StateCreator } from 'zustand';
import type { AppSlice } from './app.js';
import type { EngagementSlice } from './engagements.js';
import type { HostSlice } from './hosts.js';
import type { ScanSlice } from './scans.js';
import type { ResultSlice } from './results.js';
import type { DashboardSlice } from './dashboard.js';
import type { SessionSlice } from './session.js';
import type { FindingsSlice } from './findings.js';
import type { FindingSlice } from './finding.js';
import type { ReviewSlice } from './review.js';
import type { AuditSlice } from './audit.js';
import type { WaiverSlice } from './waivers.js';
import type { HandoverSlice } from './handover.js';
import type { AccessSlice } from './access.js';

export type AppState = AppSlice &
  EngagementSlice &
  HostSlice &
  ScanSlice &
  ResultSlice &
  DashboardSlice &
  SessionSlice &
  FindingsSlice &
  FindingSlice &
  ReviewSlice &
  AuditSlice &
  WaiverSlice &
  HandoverSlice &
  AccessSlice;

/** A slice creator with access to the whole store (get() sees every slice). */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
