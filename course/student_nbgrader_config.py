# nbgrader configuration for the STUDENTS of a JupyterHub (not for this course folder: the
# lecturer's is nbgrader_config.py beside it).  Install it where every student's server
# reads it: in the students' Python environment as <sys.prefix>/etc/jupyter/nbgrader_config.py
# (an image, or the one environment of a hub on one machine), or per student as
# ~/.jupyter/nbgrader_config.py.  See README.md, "On a JupyterHub".
#
# Why: nbgrader 0.9 files a submission under the operating-system user's name, and takes
# the hub's user name (JUPYTERHUB_USER) only when that OS user is `jovyan`, as in Zero to
# JupyterHub's images.  On a hub whose students share any other OS user (a local-process
# spawner, a container image with another user name) every student would submit, and be
# graded, as that one user, each submission overwriting the last.  The hub tells each
# server who its user is; this file makes that the student id.
import os

c = get_config()  # noqa: F821 - provided by nbgrader (traitlets) when it loads this file

# the course, so that students need no --course on the command line
c.CourseDirectory.course_id = "tcplab"

if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]

# the exchange folder, when it is not nbgrader's /srv/nbgrader/exchange: the same variable
# the lecturer's nbgrader_config.py reads (set it for every server, e.g. c.Spawner.environment)
if os.environ.get("TCPLAB_EXCHANGE"):
    c.Exchange.root = os.environ["TCPLAB_EXCHANGE"]
