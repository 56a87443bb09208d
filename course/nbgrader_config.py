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
