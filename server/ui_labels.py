"""Interface labels of the web UI (server/ui.py, server/entity_views.py) in English, French and Spanish.

The language is `?lang=` (remembered in the `hres_lang` cookie), else the browser's Accept-Language,
else English. A missing translation falls back to English. Data labels (state names, instrument
titles) come from the graph's own `rdfs:label`s in the same language where the graph has them.
"""

from __future__ import annotations

from flask import request

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}

LABELS: dict[str, dict[str, str]] = {
    "query": {"en": "Query", "fr": "Requête", "es": "Consulta"},
    "validate": {"en": "Validate", "fr": "Valider", "es": "Validar"},
    "ontology": {"en": "Ontology", "fr": "Ontologie", "es": "Ontología"},
    "dumps": {"en": "Dumps", "fr": "Exports", "es": "Volcados"},
    "endpoint": {"en": "SPARQL endpoint", "fr": "Point d'accès SPARQL", "es": "Punto de acceso SPARQL"},
    "language": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "skip": {"en": "Skip to content", "fr": "Aller au contenu", "es": "Ir al contenido"},
    "dataset_version": {
        "en": "Dataset version",
        "fr": "Version du jeu de données",
        "es": "Versión del conjunto de datos",
    },
    "named_queries": {"en": "Named queries", "fr": "Requêtes nommées", "es": "Consultas con nombre"},
    "search_queries": {
        "en": "Search the named queries",
        "fr": "Chercher dans les requêtes nommées",
        "es": "Buscar en las consultas con nombre",
    },
    "no_queries": {
        "en": "No named query matches.",
        "fr": "Aucune requête nommée ne correspond.",
        "es": "Ninguna consulta con nombre coincide.",
    },
    "catalogue_missing": {
        "en": "The named-query catalogue is not available on this server (GET /api/queries).",
        "fr": "Le catalogue des requêtes nommées n'est pas disponible sur ce serveur (GET /api/queries).",
        "es": "El catálogo de consultas con nombre no está disponible en este servidor (GET /api/queries).",
    },
    "named_graphs": {"en": "Named graphs", "fr": "Graphes nommés", "es": "Grafos con nombre"},
    "graphs_help": {
        "en": "The default graph is their union; GRAPH ?g ranges over them.",
        "fr": "Le graphe par défaut est leur union ; GRAPH ?g les parcourt.",
        "es": "El grafo por defecto es su unión; GRAPH ?g los recorre.",
    },
    "editor": {"en": "SPARQL query", "fr": "Requête SPARQL", "es": "Consulta SPARQL"},
    "editor_help": {
        "en": "Prefixes such as hres:, hresid:, rdfs: and skos: are predeclared. Ctrl+Enter runs the query; "
        "Ctrl+Space completes prefixes and ontology terms; Esc then Tab leaves the editor.",
        "fr": "Les préfixes hres:, hresid:, rdfs:, skos:… sont prédéclarés. Ctrl+Entrée exécute la requête ; "
        "Ctrl+Espace complète préfixes et termes de l'ontologie ; Échap puis Tab quitte l'éditeur.",
        "es": "Los prefijos hres:, hresid:, rdfs:, skos:… están predeclarados. Ctrl+Intro ejecuta la consulta; "
        "Ctrl+Espacio completa prefijos y términos de la ontología; Esc y luego Tab sale del editor.",
    },
    "run": {"en": "Run", "fr": "Exécuter", "es": "Ejecutar"},
    "running": {"en": "Running…", "fr": "Exécution…", "es": "Ejecutando…"},
    "permalink": {"en": "Permalink", "fr": "Lien permanent", "es": "Enlace permanente"},
    "copied": {
        "en": "Link copied to the clipboard.",
        "fr": "Lien copié dans le presse-papiers.",
        "es": "Enlace copiado al portapapeles.",
    },
    "parameters": {"en": "Parameters", "fr": "Paramètres", "es": "Parámetros"},
    "optional": {"en": "optional", "fr": "facultatif", "es": "opcional"},
    "default": {"en": "default", "fr": "par défaut", "es": "por defecto"},
    "example": {"en": "Example", "fr": "Exemple", "es": "Ejemplo"},
    "edited": {
        "en": "The text differs from the named query: it runs as plain SPARQL and the parameters above are not bound.",
        "fr": "Le texte diffère de la requête nommée : il s'exécute comme SPARQL simple et les paramètres ci-dessus ne sont pas liés.",
        "es": "El texto difiere de la consulta con nombre: se ejecuta como SPARQL simple y los parámetros de arriba no se vinculan.",
    },
    "results": {"en": "Results", "fr": "Résultats", "es": "Resultados"},
    "table": {"en": "Table", "fr": "Tableau", "es": "Tabla"},
    "chart": {"en": "Chart", "fr": "Graphique", "es": "Gráfico"},
    "chart_type": {"en": "Chart type", "fr": "Type de graphique", "es": "Tipo de gráfico"},
    "bar": {"en": "Bars", "fr": "Barres", "es": "Barras"},
    "stacked-bar": {"en": "Stacked bars", "fr": "Barres empilées", "es": "Barras apiladas"},
    "heatmap": {"en": "Matrix (heatmap)", "fr": "Matrice (carte de chaleur)", "es": "Matriz (mapa de calor)"},
    "no_chart": {
        "en": "These results have no numeric column to chart.",
        "fr": "Ces résultats n'ont pas de colonne numérique à représenter.",
        "es": "Estos resultados no tienen una columna numérica que representar.",
    },
    "chart_unavailable": {
        "en": "The chart library is not installed on this server (run `make install`).",
        "fr": "La bibliothèque de graphiques n'est pas installée sur ce serveur (lancez `make install`).",
        "es": "La biblioteca de gráficos no está instalada en este servidor (ejecute `make install`).",
    },
    "download": {"en": "Download", "fr": "Télécharger", "es": "Descargar"},
    "rows": {"en": "rows", "fr": "lignes", "es": "filas"},
    "rows_shown": {
        "en": "Rows {from}–{to} of {total}",
        "fr": "Lignes {from} à {to} sur {total}",
        "es": "Filas {from}–{to} de {total}",
    },
    "no_rows": {"en": "No rows.", "fr": "Aucune ligne.", "es": "Ninguna fila."},
    "page_size": {"en": "Rows per page", "fr": "Lignes par page", "es": "Filas por página"},
    "previous": {"en": "Previous", "fr": "Précédent", "es": "Anterior"},
    "next": {"en": "Next", "fr": "Suivant", "es": "Siguiente"},
    "sort_by": {"en": "Sort by", "fr": "Trier par", "es": "Ordenar por"},
    "elapsed": {"en": "{rows} rows in {ms} ms", "fr": "{rows} lignes en {ms} ms", "es": "{rows} filas en {ms} ms"},
    "truncated": {
        "en": "Truncated: the answer was cut at the row cap of {cap} rows. Add LIMIT, filters or aggregates.",
        "fr": "Tronqué : la réponse a été coupée au plafond de {cap} lignes. Ajoutez LIMIT, des filtres ou des agrégats.",
        "es": "Truncado: la respuesta se cortó en el límite de {cap} filas. Añada LIMIT, filtros o agregados.",
    },
    "timeout": {"en": "Timed out (HTTP 504):", "fr": "Délai dépassé (HTTP 504) :", "es": "Tiempo agotado (HTTP 504):"},
    "error": {"en": "Error", "fr": "Erreur", "es": "Error"},
    "limits": {
        "en": "Queries stop after {timeout} s; answers hold at most {cap} rows.",
        "fr": "Les requêtes s'arrêtent après {timeout} s ; les réponses comptent au plus {cap} lignes.",
        "es": "Las consultas se detienen tras {timeout} s; las respuestas tienen como máximo {cap} filas.",
    },
    "boolean": {"en": "Answer", "fr": "Réponse", "es": "Respuesta"},
    "graph_answer": {
        "en": "The query returned RDF triples; download them below.",
        "fr": "La requête a renvoyé des triplets RDF ; téléchargez-les ci-dessous.",
        "es": "La consulta devolvió tripletas RDF; descárguelas abajo.",
    },
    # validation page
    "validate_title": {
        "en": "Validate a contribution",
        "fr": "Valider une contribution",
        "es": "Validar una contribución",
    },
    "validate_intro": {
        "en": "Check a contributed file against the HRES shapes: Turtle, N-Triples, N-Quads, TriG, JSON-LD, "
        "RDF/XML, or one of the CSV templates. Nothing is imported.",
        "fr": "Vérifiez un fichier contribué avec les formes HRES : Turtle, N-Triples, N-Quads, TriG, JSON-LD, "
        "RDF/XML ou l'un des modèles CSV. Rien n'est importé.",
        "es": "Compruebe un archivo contribuido con las formas HRES: Turtle, N-Triples, N-Quads, TriG, JSON-LD, "
        "RDF/XML o una de las plantillas CSV. No se importa nada.",
    },
    "file": {"en": "File", "fr": "Fichier", "es": "Archivo"},
    "templates": {"en": "CSV templates", "fr": "Modèles CSV", "es": "Plantillas CSV"},
    "report_language": {"en": "Report language", "fr": "Langue du rapport", "es": "Idioma del informe"},
    "allow_warnings": {
        "en": "Conform when there are warnings but no violations",
        "fr": "Conforme s'il n'y a que des avertissements",
        "es": "Conforme si solo hay advertencias",
    },
    "with_store": {
        "en": "Also read context from the current graph (the recommendations you assess, ratifications)",
        "fr": "Lire aussi le contexte dans le graphe actuel (recommandations évaluées, ratifications)",
        "es": "Leer también el contexto del grafo actual (recomendaciones evaluadas, ratificaciones)",
    },
    "check": {"en": "Check the file", "fr": "Vérifier le fichier", "es": "Comprobar el archivo"},
    "conforms": {"en": "Conforms", "fr": "Conforme", "es": "Conforme"},
    "not_conforms": {"en": "Does not conform", "fr": "Non conforme", "es": "No conforme"},
    "bad_input": {
        "en": "The file could not be read",
        "fr": "Le fichier n'a pas pu être lu",
        "es": "No se pudo leer el archivo",
    },
    "no_file": {
        "en": "Choose a file to check.",
        "fr": "Choisissez un fichier à vérifier.",
        "es": "Elija un archivo para comprobar.",
    },
    "focus_node": {"en": "Focus node", "fr": "Nœud focal", "es": "Nodo foco"},
    "where": {"en": "in", "fr": "dans", "es": "en"},
    "severity": {"en": "Severity", "fr": "Gravité", "es": "Gravedad"},
    "shape": {"en": "Shape", "fr": "Forme", "es": "Forma"},
    "path": {"en": "Path", "fr": "Chemin", "es": "Ruta"},
    "value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "message": {"en": "Message", "fr": "Message", "es": "Mensaje"},
    "download_report": {"en": "Download the report", "fr": "Télécharger le rapport", "es": "Descargar el informe"},
    "summary": {
        "en": "{violations} violations, {warnings} warnings on {nodes} focus nodes checked ({seconds} s)",
        "fr": "{violations} violations, {warnings} avertissements sur {nodes} nœuds vérifiés ({seconds} s)",
        "es": "{violations} violaciones, {warnings} advertencias en {nodes} nodos comprobados ({seconds} s)",
    },
    # entity pages
    "type": {"en": "Type", "fr": "Type", "es": "Tipo"},
    "also_as": {"en": "Also as", "fr": "Aussi en", "es": "También en"},
    "properties": {"en": "All properties", "fr": "Toutes les propriétés", "es": "Todas las propiedades"},
    "property": {"en": "Property", "fr": "Propriété", "es": "Propiedad"},
    "graph": {"en": "Graph", "fr": "Graphe", "es": "Grafo"},
    "linked_from": {"en": "Linked from", "fr": "Liens entrants", "es": "Enlazado desde"},
    "subject": {"en": "Subject", "fr": "Sujet", "es": "Sujeto"},
    "more_links": {
        "en": "More links exist; query them on the query page.",
        "fr": "D'autres liens existent ; interrogez-les sur la page de requête.",
        "es": "Existen más enlaces; consúltelos en la página de consultas.",
    },
    "ratifications": {
        "en": "Treaty participation (timeline)",
        "fr": "Participation aux traités (chronologie)",
        "es": "Participación en tratados (cronología)",
    },
    "recs_by_cycle": {
        "en": "Recommendations received, by cycle and response",
        "fr": "Recommandations reçues, par cycle et par réponse",
        "es": "Recomendaciones recibidas, por ciclo y respuesta",
    },
    "recs_note": {
        "en": "Counted per record: a recommendation published by two sources (UPR Info and the working-group "
        "report) counts once per source; such records are linked by hres:sameRecommendationAs.",
        "fr": "Comptées par enregistrement : une recommandation publiée par deux sources compte une fois par source ; "
        "ces enregistrements sont liés par hres:sameRecommendationAs.",
        "es": "Contadas por registro: una recomendación publicada por dos fuentes cuenta una vez por fuente; "
        "esos registros se enlazan con hres:sameRecommendationAs.",
    },
    "cycle": {"en": "Cycle", "fr": "Cycle", "es": "Ciclo"},
    "total": {"en": "Total", "fr": "Total", "es": "Total"},
    "no_response": {"en": "no response recorded", "fr": "aucune réponse enregistrée", "es": "sin respuesta registrada"},
    "no_cycle": {"en": "outside the UPR cycles", "fr": "hors cycles de l'EPU", "es": "fuera de los ciclos del EPU"},
    "elections": {
        "en": "Elections and observation missions",
        "fr": "Élections et missions d'observation",
        "es": "Elecciones y misiones de observación",
    },
    "election": {"en": "Election", "fr": "Élection", "es": "Elección"},
    "hrc_votes": {
        "en": "Roll-call votes at the Human Rights Council",
        "fr": "Votes enregistrés au Conseil des droits de l'homme",
        "es": "Votaciones registradas en el Consejo de Derechos Humanos",
    },
    "resolution": {"en": "Resolution", "fr": "Résolution", "es": "Resolución"},
    "vote": {"en": "Vote", "fr": "Vote", "es": "Voto"},
    "hrc_votes_licence": {
        "en": "The latest votes, and the State's votes by position (Commission on Human Rights and Human Rights "
        "Council). Source data under a non-commercial licence (graph hrc-voting).",
        "fr": "Les derniers votes, et les votes de l'État par position (Commission et Conseil des droits de "
        "l'homme). Données sous licence non commerciale (graphe hrc-voting).",
        "es": "Las últimas votaciones, y los votos del Estado por posición (Comisión y Consejo de Derechos "
        "Humanos). Datos con licencia no comercial (grafo hrc-voting).",
    },
    "date": {"en": "Date", "fr": "Date", "es": "Fecha"},
    "missions": {"en": "Observation missions", "fr": "Missions d'observation", "es": "Misiones de observación"},
    "gap_queries": {
        "en": "Gap and follow-up queries for this State",
        "fr": "Requêtes de lacunes et de suivi pour cet État",
        "es": "Consultas de brechas y seguimiento para este Estado",
    },
    "text": {"en": "Text", "fr": "Texte", "es": "Texto"},
    "source": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "responses": {"en": "Responses", "fr": "Réponses", "es": "Respuestas"},
    "assessments": {
        "en": "Implementation assessments",
        "fr": "Évaluations de la mise en œuvre",
        "es": "Evaluaciones de la aplicación",
    },
    "assesses_record": {
        "en": "assesses its record",
        "fr": "évalue sa fiche",
        "es": "evalúa su registro",
    },
    "related": {
        "en": "Repeats, echoes and the same recommendation elsewhere",
        "fr": "Répétitions, échos et la même recommandation ailleurs",
        "es": "Repeticiones, ecos y la misma recomendación en otras fuentes",
    },
    "relation": {"en": "Relation", "fr": "Relation", "es": "Relación"},
    "articles": {"en": "Articles", "fr": "Articles", "es": "Artículos"},
    "parties": {"en": "Parties and signatories", "fr": "Parties et signataires", "es": "Partes y signatarios"},
    "event": {"en": "Event", "fr": "Événement", "es": "Evento"},
    "signature": {"en": "Signature", "fr": "Signature", "es": "Firma"},
    "consent": {"en": "Consent to be bound", "fr": "Consentement à être lié", "es": "Consentimiento en obligarse"},
    "year": {"en": "Year", "fr": "Année", "es": "Año"},
    "state": {"en": "State", "fr": "État", "es": "Estado"},
    "status": {"en": "Status", "fr": "Statut", "es": "Estado"},
    "by": {"en": "By", "fr": "Par", "es": "Por"},
    "none": {"en": "None recorded.", "fr": "Aucun élément enregistré.", "es": "Nada registrado."},
    "section_failed": {
        "en": "This section could not be computed in time ({why}).",
        "fr": "Cette section n'a pas pu être calculée à temps ({why}).",
        "es": "Esta sección no pudo calcularse a tiempo ({why}).",
    },
    "open_in_query": {"en": "Open as a query", "fr": "Ouvrir comme requête", "es": "Abrir como consulta"},
    "more_rows": {
        "en": "Showing the first {n}.",
        "fr": "Les {n} premiers sont affichés.",
        "es": "Se muestran los primeros {n}.",
    },
    "chart_of_table": {
        "en": "Chart of the table above",
        "fr": "Graphique du tableau ci-dessus",
        "es": "Gráfico de la tabla anterior",
    },
}


def current_language() -> str:
    chosen = request.args.get("lang") or request.cookies.get("hres_lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="en") or "en"


def translator(lang: str):
    def t(key: str, **values) -> str:
        entry = LABELS.get(key)
        text = (entry.get(lang) or entry["en"]) if entry else key
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    return t


def js_labels(lang: str) -> dict[str, str]:
    """Every label in one language, for the page's script."""
    return {key: entry.get(lang) or entry["en"] for key, entry in LABELS.items()}
