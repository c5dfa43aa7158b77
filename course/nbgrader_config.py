"""nbgrader settings for the Neurogebra course (run nbgrader commands from this folder)."""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from neurogebra_grader.feedback import ShortenHiddenTestErrors
from neurogebra_grader.offline_math import OfflineMathHTMLExporter

c = get_config()  # noqa: F821  (nbgrader provides get_config when it loads this file)

c.CourseDirectory.course_id = "neurogebra"
c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = f"sqlite:///{Path(__file__).resolve().parent / 'gradebook.db'}"

# Every cell must finish within this many seconds. The slowest, the spiral training, takes
# about 15 s; the margin is for graders running many notebooks at once on a busy machine.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# What a released solution cell holds.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback pages carry KaTeX (from `npm ci`) instead of loading MathJax from a CDN, so their
# math renders offline and on networks that block CDNs.
c.GenerateFeedback.exporter_class = OfflineMathHTMLExporter

# Feedback shows each test's result but not the code of the hidden tests. nbgrader's default
# feedback would show it: autograding restores the hidden tests into the notebook, and their
# tracebacks quote them. So: shorten those errors to one line, then remove the hidden code.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    ShortenHiddenTestErrors,
    ClearHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
