// The document and file events of the language server: open, change and close of documents, the
// client's watched-file notifications (a changed .gitignore or secret scanner allowlist rescans the
// folders), and following the files open compose files name in `env_file`. Each event updates the
// document cache and asks for a push; an error is logged, never thrown at the connection.
import { FileChangeType, type Connection } from 'vscode-languageserver/node';
import { isAllowlistFile } from '../model/allowlists';
import { initTerraform, isTerraformPath, isTerraformReady } from '../parse/terraform';
import { describeError } from './backend';
import type { DocumentCache } from './documents';
import type { DiagnosticsPublisher } from './diagnostics';
import type { Logger } from './runtime';
import { NamedFileWatch } from './watchers';

export interface DocumentEventsDeps {
  connection: Connection;
  docs: DocumentCache;
  diagnostics: DiagnosticsPublisher;
  log: Logger;
  roots: () => string[];
  watchRegistrable: () => boolean;
  schedulePush: () => void;
  saveParseCaches: () => void;
}

/** Registers the handlers; `watchComposeNamed` (re)registers watchers for the files compose names. */
export function registerDocumentEvents(d: DocumentEventsDeps): { watchComposeNamed: () => void } {
  const { connection, docs, diagnostics, log, schedulePush, saveParseCaches } = d;
  const namedWatch = new NamedFileWatch(connection, log);
  const watchComposeNamed = (): void => {
    if (d.watchRegistrable()) namedWatch.follow(docs.composeNamedFiles());
  };
  /** After an edit of an open compose file (or `.env`): the files its `env_file` entries name are followed. */
  const followComposeEdit = (uri: string): void => {
    if (!docs.steersComposeNamed(uri)) return;
    void docs.syncComposeNamed().then((changed) => {
      if (!changed) return;
      watchComposeNamed();
      schedulePush();
    }, (e) => log.error(`compose env files failed: ${describeError(e)}`));
  };

  connection.onDidOpenTextDocument((p) => {
    try {
      if (docs.didOpen(p.textDocument.uri, p.textDocument.version, p.textDocument.text, p.textDocument.languageId)) schedulePush();
      // A Terraform file in a workspace that had none: read again once its grammar has loaded.
      const uri = p.textDocument.uri;
      if (isTerraformPath(uri) && !isTerraformReady()) {
        void initTerraform().then(() => {
          docs.reread(uri);
          schedulePush();
        }, (e) => log.error(`the Terraform grammar did not load: ${describeError(e)}`));
      }
    } catch (e) {
      log.error(`didOpen failed: ${describeError(e)}`);
    }
  });
  connection.onDidChangeTextDocument((p) => {
    try {
      if (docs.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges)) {
        schedulePush();
        followComposeEdit(p.textDocument.uri);
      }
    } catch (e) {
      log.error(`didChange failed: ${describeError(e)}`);
    }
  });
  connection.onDidCloseTextDocument((p) => {
    try {
      docs.didClose(p.textDocument.uri);
      // Its diagnostics are published again without a version.
      diagnostics.touch(p.textDocument.uri);
      // The file on disk may differ from the closed buffer: re-read it.
      void docs.fileChanged(p.textDocument.uri, false).then(schedulePush, () => undefined);
    } catch (e) {
      log.error(`didClose failed: ${describeError(e)}`);
    }
  });
  connection.onDidChangeWatchedFiles((p) => {
    void (async () => {
      // A .gitignore decides which files are credential-scanned and which `.env` git would commit;
      // a .gitleaks.toml / .gitleaksignore / .secrets.baseline / .gitguardian.yaml / .github/secret_scanning.yml
      // which paths, secrets and lines its team allowed.
      if (p.changes.some((c) => c.uri.endsWith('/.gitignore') || isAllowlistFile(c.uri))) {
        await docs.scan(d.roots());
        saveParseCaches();
      }
      log.debug(`watched files: ${p.changes.length} change(s)`);
      docs.foldersDeleted(p.changes.filter((c) => c.type === FileChangeType.Deleted).map((c) => c.uri));
      await docs.foldersCreated(p.changes.filter((c) => c.type === FileChangeType.Created && !/\.[A-Za-z0-9]{1,8}$/.test(c.uri)).map((c) => c.uri));
      for (const c of p.changes) {
        if (docs.isOpen(c.uri)) continue;
        await docs.fileChanged(c.uri, c.type === FileChangeType.Deleted);
      }
      watchComposeNamed();
      schedulePush();
    })().catch((e) => log.error(`watched files failed: ${describeError(e)}`));
  });
  return { watchComposeNamed };
}
