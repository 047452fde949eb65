"""OWL 2 DL check of an N-Triples file, run inside ``.venv-interop`` (owlready2 + Debian's Java).

Prints one JSON object: ``warnings`` (what owlready2 had to repair while loading, e.g. punning),
``consistent`` and ``unsatisfiable`` (HermiT, as bundled with owlready2), ``refused`` (HermiT's
exception when it cannot load the ontology at all, else null), and ``violations``
(the OWL API's own OWL 2 DL profile check, ``DlProfile.java`` run against the OWL API inside
owlready2's HermiT.jar).

Usage: ``.venv-interop/bin/python tests/interop/owl_check.py FILE.nt``
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import owlready2

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
PROFILE_CHECK = Path(__file__).with_name("DlProfile.java")


def reason(path: Path) -> dict[str, object]:
    world = owlready2.World()
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):  # owlready2 reports repairs on stderr
        onto = world.get_ontology(path.resolve().as_uri()).load(format="ntriples")
    warnings = [line for line in captured.getvalue().splitlines() if "WARNING" in line]
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        consistent = True
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    except owlready2.OwlReadyInconsistentOntologyError:
        consistent, unsatisfiable = False, []
    except owlready2.OwlReadyJavaError as err:  # HermiT refused the ontology, e.g. an unknown datatype
        refusal = next((line for line in str(err).splitlines() if "Exception" in line), str(err))
        return {"warnings": warnings, "consistent": None, "unsatisfiable": [], "refused": refusal}
    return {"warnings": warnings, "consistent": consistent, "unsatisfiable": unsatisfiable, "refused": None}


def profile(path: Path) -> list[str]:
    # Java's single-file source launcher compiles DlProfile.java in memory (no javac step)
    run = subprocess.run(["java", "-cp", str(HERMIT_JAR), str(PROFILE_CHECK), str(path)],
                         capture_output=True, text=True, check=True)
    return sorted(line for line in run.stdout.splitlines() if line and not line.startswith("violations "))


def main() -> None:
    path = Path(sys.argv[1])
    report = reason(path)
    report["violations"] = profile(path)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
