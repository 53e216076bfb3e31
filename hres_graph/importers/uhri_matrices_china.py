"""OHCHR UPR matrices of recommendations for China: cycle 2 (session 17, 2013) and cycle 3 (session 31, 2018).

Upstream: frisbiesa/china_upr_v2 `Matrix_recommendations_2013.docx` and `Matrix_recommendations_2018.docx`
(OHCHR documents, the older UHRI-coded format of the Slovenia cycle-2 matrix): 252 and 346 rows. Read by
the generic matrices reader (uhri_matrices.MatrixReader): State, cycle and session from each file's page
header, paragraph numbers ("186.28." in cycle 2, "28.212" in cycle 3), positions and the documents that
give them, UHRI themes, SDGs ("S16 SDG 16 - …" lines) and affected persons.

Rows are linked to the same recommendation in the UPR Info export of 2018 (hres:sameRecommendationAs, under
the IRI graph upr-info-2018 gives it): the export holds session 17 but ends at session 27, so only cycle 2
can match; rows that group several recommendations under one paragraph number are not linked (see
uhri_matrices).
"""

from __future__ import annotations

from .base import Source
from .uhri_matrices import MatrixReader

SOURCE_ID = "upr-matrices-china"

SOURCE = Source(
    id=SOURCE_ID,
    title="OHCHR UPR matrices of recommendations (thematic lists), China, cycles 2-3",
    read=MatrixReader(SOURCE_ID, link_upr_info=True),
    default_path="raw/ohchr-upr-matrices-china",
    license="UN/OHCHR material under the United Nations terms of use (copied from a GitHub repository under MIT, "
    "which covers only its author's own work)",
    upstream="https://github.com/frisbiesa/china_upr_v2 (Matrix_recommendations_2013.docx, "
    "Matrix_recommendations_2018.docx at commit 6b1c9eb40de901dec834df3a381c1e5af952c157); "
    "https://www.ohchr.org/en/hr-bodies/upr/cn-index",
    needs=("upr-info-2018", "upr-info"),
)
