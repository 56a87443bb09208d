# nbgrader configuration of the tcplab course (nbgrader 0.9).  Run every nbgrader command
# from this folder (course/): nbgrader reads this file from the current directory.
# See README.md here for the lecturer's commands.
import os

c = get_config()  # noqa: F821 - provided by nbgrader (traitlets) when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "tcplab"
c.CourseDirectory.root = HERE
# The gradebook: an sqlite file in this folder (students, submissions, scores).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# A notebook of the workbook runs in well under a second; a generous limit per cell.
c.Execute.timeout = 120

# `tcplab-grade <assignment>` (README.md, "Grading a class"): its limits.  nbgrader's own
# output limit counts lines (one 50 MB line passes it); these count bytes, in the graded
# notebook and its feedback page.  A whole notebook (its cells each under the limit above)
# is stopped after notebook_timeout seconds and reported "not graded".  The command's
# options --cell-output-bytes, --notebook-output-bytes, --notebook-timeout win over these.
c.TcplabGrade.cell_output_bytes = 100_000
c.TcplabGrade.notebook_output_bytes = 1_000_000
c.TcplabGrade.notebook_timeout = 600
c.TcplabGrade.jobs = 2             # notebooks graded side by side (--jobs)

# On a JupyterHub, the exchange is a folder every user can reach (see README.md).  Override
# it with an environment variable instead of editing this file:
#   TCPLAB_EXCHANGE=/srv/nbgrader/exchange nbgrader release_assignment hw1-handshake-close
if os.environ.get("TCPLAB_EXCHANGE"):
    c.Exchange.root = os.environ["TCPLAB_EXCHANGE"]

# `nbgrader zip_collect <assignment>` (submissions as files, e.g. downloaded from a learning
# platform): put the files, or .zip archives of them, in downloaded/<assignment>/archive/,
# named <student-id>_<notebook>.ipynb (li_wei_hw1-handshake-close.ipynb) or inside a folder
# per student (li_wei/hw1-handshake-close.ipynb).
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[^/]+?)[_/](?P<file_id>hw[0-9][^/]*\.ipynb)$")
