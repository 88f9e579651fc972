"""Static files storage for production: WhiteNoise's compressed manifest storage, which gives every file a
content-hashed name for far-future caching, also rewriting the `import ... from "./x.js"` paths of the
pages' native ES modules to the hashed names, which it does not do by default. Without it a module would
load its imports under their plain names, which the manifest does not serve."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ModuleManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    # Each pass settles the hashed names one import level further up (main.js -> render/*.js -> ...).
    max_post_process_passes = 10
