"""Report text: Messages of the input readers (salto_analysis.io)."""

TEXT: dict[str, dict[str, str]] = {
    "io.rows_read": {"nb": "Rader lest fra fila", "en": "Rows read from the file"},
    "io.dropped.blank": {"nb": "Tomme rader fjernet", "en": "Blank rows removed"},
    "io.rows_kept": {"nb": "Rader beholdt", "en": "Rows kept"},
    "io.excluded.age_outside_scope": {
        "nb": "Holdt utenfor analysen: alder utenfor 10–22 år",
        "en": "Excluded from analysis: age outside 10–22",
    },
    "io.rows_in_analysis": {"nb": "Rader med i analysen", "en": "Rows in the analysis"},
    "io.notice.csv_format": {
        "nb": "Lest som CSV med tegnsett {encoding} og skilletegn «{separator}»",
        "en": "Read as CSV with encoding {encoding} and separator “{separator}”",
    },
    "io.notice.sheet": {
        "nb": "Arbeidsboka har {n} ark; leste arket «{sheet}»",
        "en": "The workbook has {n} sheets; read the sheet “{sheet}”",
    },
    "io.notice.extra_columns": {
        "nb": "Ukjente kolonner er beholdt uendret, men brukes ikke: {columns}",
        "en": "Unknown columns are kept unchanged but not used: {columns}",
    },
    "io.notice.derived_replaced": {
        "nb": "Kolonner i fila er erstattet av verdier beregnet fra de andre kolonnene: {columns}",
        "en": "Columns in the file were replaced by values derived from the other columns: {columns}",
    },
    "io.notice.absent_columns": {
        "nb": "Valgfrie kolonner som mangler i fila (tomme i dataene): {columns}",
        "en": "Optional columns absent from the file (empty in the data): {columns}",
    },
    "io.notice.value_labels": {
        "nb": "SPSS-verdietiketter er brukt for kolonnene: {columns}",
        "en": "SPSS value labels were used for the columns: {columns}",
    },
    "io.notice.no_weight": {
        "nb": "Ingen vektkolonne: alle elever har vekt 1 (uvektede anslag)",
        "en": "No weight column: every pupil has weight 1 (unweighted estimates)",
    },
    "io.notice.no_items_answered": {
        "nb": "Elever som ikke har svart på noen av spørsmålene (beholdt; teller ikke i noe spørsmål)",
        "en": "Pupils who answered none of the items (kept; they count in no item)",
    },
    "io.notice.synthetic": {
        "nb": "Syntetiske data: fila er oppført som syntetisk i manifest.json",
        "en": "Synthetic data: the file is listed as synthetic in manifest.json",
    },
    "io.notice.manifest_mismatch": {
        "nb": "Fila er endret etter at den ble laget (sjekksummen avviker fra manifest.json); "
              "den regnes derfor ikke som syntetisk",
        "en": "The file has changed since it was generated (its checksum differs from manifest.json); "
              "it is therefore not treated as synthetic",
    },
    "io.notice.manifest_unreadable": {
        "nb": "manifest.json i mappen kunne ikke leses; fila regnes ikke som syntetisk",
        "en": "manifest.json in the folder could not be read; the file is not treated as synthetic",
    },
}
