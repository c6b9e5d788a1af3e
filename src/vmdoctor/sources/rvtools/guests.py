"""Guest OS names as RVTools shows them -> vSphere guest IDs.

RVTools exports ``config.guestFullName`` ("OS according to the configuration file") and
``guest.guestFullName`` ("... according to the VMware Tools"), the display names of the
vSphere API's GuestOsDescriptor, not the ``guestId`` the compatibility checks compare. Display
names changed over releases ("Microsoft Windows Server 2016 (64-bit)" became "... 2016 or later
(64-bit)" for the same ``windows9Server64Guest``), so several names map to one ID. A name not
listed here stays unmapped, and the VM gets a gap naming it: no ID is guessed.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")

#: normalised display name -> guestId
_NAMES: dict[str, str] = {
    # Windows Server
    "microsoft windows server 2025 (64-bit)": "windows2022srvNext_64Guest",
    "microsoft windows server 2022 (64-bit)": "windows2019srvNext_64Guest",
    "microsoft windows server 2019 (64-bit)": "windows2019srv_64Guest",
    "microsoft windows server 2016 (64-bit)": "windows9Server64Guest",
    "microsoft windows server 2016 or later (64-bit)": "windows9Server64Guest",
    "microsoft windows server 2012 (64-bit)": "windows8Server64Guest",
    "microsoft windows server 2008 r2 (64-bit)": "windows7Server64Guest",
    "microsoft windows server 2008 (64-bit)": "winLonghorn64Guest",
    "microsoft windows server 2008 (32-bit)": "winLonghornGuest",
    "microsoft windows server 2003 standard (64-bit)": "winNetStandard64Guest",
    "microsoft windows server 2003 standard (32-bit)": "winNetStandardGuest",
    "microsoft windows server 2003 enterprise (64-bit)": "winNetEnterprise64Guest",
    "microsoft windows server 2003 enterprise (32-bit)": "winNetEnterpriseGuest",
    "microsoft windows server 2003 datacenter (64-bit)": "winNetDatacenter64Guest",
    "microsoft windows server 2003 web edition (32-bit)": "winNetWebGuest",
    # Windows desktop
    "microsoft windows 11 (64-bit)": "windows11_64Guest",
    "microsoft windows 10 (64-bit)": "windows9_64Guest",
    "microsoft windows 10 (32-bit)": "windows9Guest",
    "microsoft windows 8.x (64-bit)": "windows8_64Guest",
    "microsoft windows 8 (64-bit)": "windows8_64Guest",
    "microsoft windows 7 (64-bit)": "windows7_64Guest",
    "microsoft windows 7 (32-bit)": "windows7Guest",
    "microsoft windows vista (64-bit)": "winVista64Guest",
    "microsoft windows vista (32-bit)": "winVistaGuest",
    "microsoft windows xp professional (64-bit)": "winXPPro64Guest",
    "microsoft windows xp professional (32-bit)": "winXPProGuest",
    # Linux distributions
    "red hat enterprise linux 9 (64-bit)": "rhel9_64Guest",
    "red hat enterprise linux 8 (64-bit)": "rhel8_64Guest",
    "red hat enterprise linux 7 (64-bit)": "rhel7_64Guest",
    "red hat enterprise linux 6 (64-bit)": "rhel6_64Guest",
    "red hat enterprise linux 6 (32-bit)": "rhel6Guest",
    "red hat enterprise linux 5 (64-bit)": "rhel5_64Guest",
    "red hat enterprise linux 5 (32-bit)": "rhel5Guest",
    "red hat fedora (64-bit)": "fedora64Guest",
    "red hat fedora (32-bit)": "fedoraGuest",
    "centos 9 (64-bit)": "centos9_64Guest",
    "centos 8 (64-bit)": "centos8_64Guest",
    "centos 7 (64-bit)": "centos7_64Guest",
    "centos 6 (64-bit)": "centos6_64Guest",
    "centos 4/5 (64-bit)": "centos64Guest",
    "centos 4/5/6 (64-bit)": "centos64Guest",
    "centos 4/5/6/7 (64-bit)": "centos64Guest",
    "centos 4/5 or later (64-bit)": "centos64Guest",
    "oracle linux 9 (64-bit)": "oracleLinux9_64Guest",
    "oracle linux 8 (64-bit)": "oracleLinux8_64Guest",
    "oracle linux 7 (64-bit)": "oracleLinux7_64Guest",
    "rocky linux (64-bit)": "rockylinux_64Guest",
    "almalinux (64-bit)": "almalinux_64Guest",
    "amazon linux 2 (64-bit)": "amazonlinux2_64Guest",
    "amazon linux 3 (64-bit)": "amazonlinux3_64Guest",
    "debian gnu/linux 13 (64-bit)": "debian13_64Guest",
    "debian gnu/linux 12 (64-bit)": "debian12_64Guest",
    "debian gnu/linux 11 (64-bit)": "debian11_64Guest",
    "debian gnu/linux 10 (64-bit)": "debian10_64Guest",
    "debian gnu/linux 9 (64-bit)": "debian9_64Guest",
    "debian gnu/linux 8 (64-bit)": "debian8_64Guest",
    "debian gnu/linux 7 (64-bit)": "debian7_64Guest",
    "debian gnu/linux 6 (64-bit)": "debian6_64Guest",
    "ubuntu linux (64-bit)": "ubuntu64Guest",
    "ubuntu linux (32-bit)": "ubuntuGuest",
    "suse linux enterprise 15 (64-bit)": "sles15_64Guest",
    "suse linux enterprise 12 (64-bit)": "sles12_64Guest",
    "suse linux enterprise 11 (64-bit)": "sles11_64Guest",
    "suse openSUSE (64-bit)".lower(): "opensuse64Guest",
    "vmware photon os (64-bit)": "vmwarePhoton64Guest",
    # generic Linux and others
    "other 6.x or later linux (64-bit)": "other6xLinux64Guest",
    "other 5.x or later linux (64-bit)": "other5xLinux64Guest",
    "other 5.x linux (64-bit)": "other5xLinux64Guest",
    "other 4.x or later linux (64-bit)": "other4xLinux64Guest",
    "other 4.x linux (64-bit)": "other4xLinux64Guest",
    "other 3.x or later linux (64-bit)": "other3xLinux64Guest",
    "other 3.x linux (64-bit)": "other3xLinux64Guest",
    "other 2.6.x linux (64-bit)": "other26xLinux64Guest",
    "other 2.6.x linux (32-bit)": "other26xLinuxGuest",
    "other linux (64-bit)": "otherLinux64Guest",
    "other linux (32-bit)": "otherLinuxGuest",
    "freebsd 14 (64-bit)": "freebsd14_64Guest",
    "freebsd 13 (64-bit)": "freebsd13_64Guest",
    "freebsd 13 or later versions (64-bit)": "freebsd13_64Guest",
    "freebsd 12 (64-bit)": "freebsd12_64Guest",
    "freebsd 12 or later versions (64-bit)": "freebsd12_64Guest",
    "freebsd 11 (64-bit)": "freebsd11_64Guest",
    "oracle solaris 11 (64-bit)": "solaris11_64Guest",
    "oracle solaris 10 (64-bit)": "solaris10_64Guest",
    "other (64-bit)": "otherGuest64",
    "other (32-bit)": "otherGuest",
}


def guest_id(display_name: str | None) -> str | None:
    """The guestId of an RVTools guest OS name; None when the name is not a known one."""
    if not display_name:
        return None
    key = _WS.sub(" ", display_name.strip().lower()).replace(" bit)", "-bit)")
    return _NAMES.get(key)
