/**
 * The watched folder for tills that can only drop files: `${dir}/<connectionId>/*.csv`.
 * Each file is imported exactly like `POST /api/pos/:connectionId/import`, then its report is
 * written to `done/<file>.result.json` and the file moved to `done/`. The report is written
 * first: a crash in between re-imports the file on the next scan, which changes nothing.
 * A file is taken only once it has not changed for `settleMs` (a till may still be writing it).
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catchError, exhaustMap, from, interval, of, type Subscription } from 'rxjs';
import { MalformedPayload } from '../effects';
import { processDepsOf, type PosDeps } from '../processing/process-deps';
import { importCsv, type CsvImportResult } from './csv-import';

export interface CsvFolderWatcherOptions extends PosDeps {
  /** `IMS_POS_IMPORT_DIR` */
  readonly dir: string;
  readonly intervalMs?: number;
  readonly settleMs?: number;
}

export interface FolderImportReport {
  readonly connectionId: string;
  readonly file: string;
  readonly processedAt: string;
  readonly result?: CsvImportResult;
  readonly error?: string;
}

export interface CsvFolderWatcher {
  scanOnce(): Promise<FolderImportReport[]>;
  stop(): void;
}

export function startCsvFolderWatcher(options: CsvFolderWatcherOptions): CsvFolderWatcher {
  const deps = processDepsOf(options);
  const settleMs = options.settleMs ?? 2000;

  async function importFile(connectionId: string, folder: string, file: string): Promise<FolderImportReport> {
    const processedAt = deps.clock().toISOString();
    const base = { connectionId, file, processedAt };
    const connection = await deps.store.getConnection(connectionId);
    let report: FolderImportReport;
    if (!connection || connection.disabled) {
      report = { ...base, error: `no active POS connection ${connectionId}` };
    } else {
      try {
        report = { ...base, result: await importCsv(deps, connection, await readFile(join(folder, file), 'utf8')) };
      } catch (error) {
        if (!(error instanceof MalformedPayload)) throw error; // infrastructure: leave the file for the next scan
        report = { ...base, error: error.message };
      }
    }
    const done = join(folder, 'done');
    await mkdir(done, { recursive: true });
    await writeFile(join(done, `${file}.result.json`), `${JSON.stringify(report, null, 2)}\n`);
    await rename(join(folder, file), join(done, file));
    return report;
  }

  async function scanOnce(): Promise<FolderImportReport[]> {
    const reports: FolderImportReport[] = [];
    let entries;
    try {
      entries = await readdir(options.dir, { withFileTypes: true });
    } catch {
      return reports; // the folder does not exist (yet)
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const folder = join(options.dir, entry.name);
      const files = (await readdir(folder, { withFileTypes: true }))
        .filter((f) => f.isFile() && f.name.toLowerCase().endsWith('.csv'))
        .map((f) => f.name)
        .sort();
      for (const file of files) {
        const { mtimeMs } = await stat(join(folder, file));
        if (deps.clock().getTime() - mtimeMs < settleMs) continue;
        reports.push(await importFile(entry.name, folder, file));
      }
    }
    return reports;
  }

  const subscription: Subscription = interval(options.intervalMs ?? 10_000).pipe(
    exhaustMap(() => from(scanOnce()).pipe(catchError((error: unknown) => {
      options.log?.error({ err: (error as Error).message }, 'CSV folder scan failed');
      return of([]);
    }))),
  ).subscribe((reports) => {
    for (const r of reports) options.log?.info({ connectionId: r.connectionId, file: r.file, error: r.error }, 'CSV file imported');
  });
  return { scanOnce, stop: () => subscription.unsubscribe() };
}
