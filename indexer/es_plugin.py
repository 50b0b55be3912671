"""The embedded node's one plugin: the analysis components its `.security` index needs.

Elasticsearch keeps API keys and native users (`elastic`, users made through the API) in the
`.security` index, whose settings define an `email` analyzer out of `uax_url_email`, `pattern_capture`
and `unique`. Those come from the `analysis-common` module, which the `integ-test-zip` distribution
leaves out and which is published nowhere we can fetch it from. This plugin, written against
Elasticsearch's stable plugin API, gives those three names Lucene's own implementations (and a
`unique` filter as analysis-common defines it). It is compiled on the machine with the JDK's `javac`
against the distribution's jars, once, into `plugins/`; without a JDK the node runs without it, and
without API keys.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import NodeError

NAME = "presswatch-security-analysis"
PACKAGE = "org.presswatch.analysis"
CLASS = "SecurityIndexAnalysis"
NAMED_COMPONENTS = {
    "org.elasticsearch.plugin.analysis.TokenFilterFactory": {
        "pattern_capture": f"{PACKAGE}.{CLASS}$PatternCapture",
        "unique": f"{PACKAGE}.{CLASS}$Unique",
    },
    "org.elasticsearch.plugin.analysis.TokenizerFactory": {
        "uax_url_email": f"{PACKAGE}.{CLASS}$UaxUrlEmail",
    },
}

JAVA_SOURCE = r'''
package org.presswatch.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.analysis.TokenizerFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.IntSetting;
import org.elasticsearch.plugin.settings.ListSetting;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/** Lucene's own analysis components under the names Elasticsearch's analysis-common module gives them. */
public final class SecurityIndexAnalysis {
    private SecurityIndexAnalysis() {}

    @AnalysisSettings
    public interface PatternCaptureSettings {
        @ListSetting(path = "patterns")
        List<String> patterns();

        @BooleanSetting(path = "preserve_original", defaultValue = true)
        boolean preserveOriginal();
    }

    @NamedComponent("pattern_capture")
    public static final class PatternCapture implements TokenFilterFactory {
        private final Pattern[] patterns;
        private final boolean preserveOriginal;

        @Inject
        public PatternCapture(PatternCaptureSettings settings) {
            this.patterns = settings.patterns().stream().map(Pattern::compile).toArray(Pattern[]::new);
            this.preserveOriginal = settings.preserveOriginal();
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new PatternCaptureGroupTokenFilter(input, preserveOriginal, patterns);
        }
    }

    @AnalysisSettings
    public interface UaxUrlEmailSettings {
        @IntSetting(path = "max_token_length", defaultValue = 255)
        int maxTokenLength();
    }

    @NamedComponent("uax_url_email")
    public static final class UaxUrlEmail implements TokenizerFactory {
        private final int maxTokenLength;

        @Inject
        public UaxUrlEmail(UaxUrlEmailSettings settings) {
            this.maxTokenLength = settings.maxTokenLength();
        }

        @Override
        public Tokenizer create() {
            UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
            tokenizer.setMaxTokenLength(maxTokenLength);
            return tokenizer;
        }
    }

    /** Drops a token whose text was already seen in the stream (analysis-common's `unique`). */
    @NamedComponent("unique")
    public static final class Unique implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream input) {
            return new TokenFilter(input) {
                private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
                private final CharArraySet seen = new CharArraySet(8, false);

                @Override
                public boolean incrementToken() throws IOException {
                    while (input.incrementToken()) {
                        if (seen.add(new String(term.buffer(), 0, term.length()))) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public void reset() throws IOException {
                    super.reset();
                    seen.clear();
                }
            };
        }
    }
}
'''


def installed(dist_dir: Path) -> bool:
    return (dist_dir / "plugins" / NAME / "stable-plugin-descriptor.properties").exists()


def install(dist_dir: Path, version: str, java_home: Path) -> bool:
    """Compile and install the plugin into the distribution (once). False when there is no javac."""
    if installed(dist_dir):
        return True
    javac, jar = java_home / "bin" / "javac", java_home / "bin" / "jar"
    if not (javac.exists() and jar.exists()):
        return False
    with tempfile.TemporaryDirectory(prefix="presswatch-plugin-") as work:
        root = Path(work)
        source = root / "src" / PACKAGE.replace(".", "/") / f"{CLASS}.java"
        source.parent.mkdir(parents=True)
        source.write_text(JAVA_SOURCE)
        bundle = root / NAME
        bundle.mkdir()
        _run([str(javac), "--release", "17", "-nowarn", "-d", str(root / "classes"),
              "-cp", str(dist_dir / "lib" / "*"), str(source)])
        _run([str(jar), "--create", "--file", str(bundle / f"{NAME}.jar"), "-C", str(root / "classes"), "."])
        (bundle / "stable-plugin-descriptor.properties").write_text(
            f"name={NAME}\n"
            "description=Lucene's uax_url_email, pattern_capture and unique, for the .security index\n"
            f"version={version}\nelasticsearch.version={version}\njava.version=17\n")
        (bundle / "named_components.json").write_text(json.dumps(NAMED_COMPONENTS, indent=2))
        for path in [bundle, *bundle.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (dist_dir / "plugins").mkdir(exist_ok=True)
        shutil.move(str(bundle), dist_dir / "plugins" / NAME)
    return True


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise NodeError(f"could not build the plugin {NAME}:\n" + (result.stdout + result.stderr)[-2000:])
