"""An SSH target: a server reached with OpenSSH, files sent with rsync.

Authentication is SSH's own: the agent, ~/.ssh/config, or a key file named by
path in podcast.yaml. Batch mode: never a password prompt, a refused key fails
at once with a clear line.
"""

from __future__ import annotations

import atexit
import shlex
import shutil
import tempfile
from pathlib import Path

from pipeline.i18n import say
from pipeline.publish.release import ReleaseSettings, ReleaseTarget
from pipeline.publish.shell import Shell
from pipeline.publish.targets import Target, register
from pipeline.source.fields import Integer, Text


@register
class SshSettings(ReleaseSettings):
    kind = "ssh"
    needs = ("host", "path")

    host = Text(doc="ssh: the server's name or address (an alias of ~/.ssh/config works too).")
    user = Text(doc="ssh: the account on the server (default: your SSH settings).")
    port = Integer(minimum=1, doc="ssh: the SSH port (default: 22 or your SSH settings).")
    identity_file = Text(doc="ssh: path of a private key file to use (the key itself never goes in podcast.yaml).")
    known_hosts = Text(doc="ssh: a known_hosts file to check the server's key against (default: yours, new hosts accepted once).")

    def open(self, site: Path) -> Target:
        return ReleaseTarget(self, SshShell(self), site)


class SshShell(Shell):
    target: SshSettings

    def __init__(self, target: SshSettings):
        self.target = target
        self.login = f"{target.user}@{target.host}" if target.user else target.host
        port = f":{target.port}" if target.port else ""
        self.where = f"{target.name} ({self.login}{port}:{target.path})"
        # One connection carries every command of a publish: the first one (the lock) becomes the master.
        self.control_dir = tempfile.mkdtemp(prefix="portevoix-ssh-")
        atexit.register(shutil.rmtree, self.control_dir, ignore_errors=True)

    def ssh_args(self) -> list[str]:
        target = self.target
        args = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
                "-o", "ControlMaster=auto", "-o", f"ControlPath={self.control_dir}/%C", "-o", "ControlPersist=no"]
        if target.port:
            args += ["-p", str(target.port)]
        if target.identity_file:
            args += ["-i", target.identity_file, "-o", "IdentitiesOnly=yes"]
        if target.known_hosts:
            args += ["-o", f"UserKnownHostsFile={target.known_hosts}", "-o", "StrictHostKeyChecking=yes"]
        else:
            args += ["-o", "StrictHostKeyChecking=accept-new"]
        return args

    def command(self, script: str) -> list[str]:
        return [*self.ssh_args(), "--", self.login, script]

    def rsync_destination(self, path: str) -> str:
        return f"{self.login}:{path}"

    def rsync_options(self) -> list[str]:
        return ["-e", shlex.join(self.ssh_args())]

    def unreachable(self, stderr: str) -> str | None:
        host = self.target.host
        port = self.target.port or 22
        if "Could not resolve hostname" in stderr or "Name or service not known" in stderr:
            return say("publish_ssh_unknown_host", host=host)
        if "Connection refused" in stderr:
            return say("publish_ssh_refused", host=host, port=port)
        if any(s in stderr for s in ("timed out", "No route to host", "Network is unreachable")):
            return say("publish_ssh_unreachable", host=host, port=port)
        if "Permission denied (" in stderr or "Too many authentication failures" in stderr:
            return say("publish_ssh_key_refused", login=self.login)
        if "Host key verification failed" in stderr or "REMOTE HOST IDENTIFICATION HAS CHANGED" in stderr:
            return say("publish_ssh_host_key", host=host)
        return None
