"""Held-out site variants of the test portal, each reduced from a real government page or CMS
template (origins in PROVENANCE.md). They have their own registry and ground truth
(`registry.csv`, `expected.py`) so that the main portal's end-to-end tests do not see them."""

from tests.portal.site import Site
from tests.portal.variants.asp_site import build_asp_site
from tests.portal.variants.dede_site import build_dede_site
from tests.portal.variants.epoint_site import build_epoint_site
from tests.portal.variants.gongkai_site import build_gongkai_site
from tests.portal.variants.info_jsp_site import build_info_jsp_site
from tests.portal.variants.jcms_site import build_jcms_site
from tests.portal.variants.phpcms_site import build_phpcms_site
from tests.portal.variants.trs_shtml_sites import build_dantu_site, build_xiaonan_site


def build_variant_sites() -> tuple[Site, ...]:
    return (
        build_dede_site(),
        build_phpcms_site(),
        build_jcms_site(),
        build_asp_site(),
        build_gongkai_site(),
        build_xiaonan_site(),
        build_dantu_site(),
        build_epoint_site(),
        build_info_jsp_site(),
    )
