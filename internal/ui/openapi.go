package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// The OpenAPI 3.1 description of the public API, built once from the
// vocabularies and the field tables, served at /api/v1/openapi.json and
// shown as the page /api. A test walks it against the handlers: every
// parameter it documents is accepted, any other refused, and the answers
// match its schemas.

// obj is a JSON object of the document.
type obj = map[string]any

func schemaRef(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func nullable(t string, extra obj) obj {
	s := obj{"type": []string{t, "null"}}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

func enumOf(v *directory.Vocabulary) []string {
	var out []string
	for _, t := range v.Terms() {
		out = append(out, t.Value)
	}
	return out
}

// enumOrNull is the values of v, and null.
func enumOrNull(v *directory.Vocabulary) []any {
	var out []any
	for _, x := range enumOf(v) {
		out = append(out, x)
	}
	return append(out, nil)
}

// termsSchema is a list of vocabulary values, or null.
func termsSchema(v *directory.Vocabulary) obj {
	return nullable("array", obj{"items": obj{"type": "string", "enum": enumOf(v)}, "minItems": 1, "uniqueItems": true})
}

// v1Types are the schemas of the v1 fields that are not a string or null.
var v1Types = map[string]obj{
	"id": {"type": "string"}, "structure_id": {"type": "string"}, "source": {"type": "string"},
	"nom": {"type": "string", "minLength": 3, "maxLength": 150}, "date_maj": {"type": "string", "format": "date"},
	"type":               nullable("string", obj{"enum": enumOrNull(directory.ServiceTypes)}),
	"frais":              nullable("string", obj{"enum": enumOrNull(directory.Fees)}),
	"thematiques":        termsSchema(directory.Thematiques),
	"publics":            termsSchema(directory.Publics),
	"modes_accueil":      termsSchema(directory.ReceptionModes),
	"modes_mobilisation": termsSchema(directory.MobilisationModes),
	"mobilisable_par":    termsSchema(directory.Mobilisers),
	"reseaux_porteurs":   termsSchema(directory.Networks),
	"zone_eligibilite":   nullable("array", obj{"items": obj{"type": "string"}, "minItems": 1, "examples": []any{[]string{"86"}, []string{"france"}}}),
	"latitude":           nullable("number", nil), "longitude": nullable("number", nil),
	"nombre_semaines":             nullable("integer", obj{"minimum": 1}),
	"volume_horaire_hebdomadaire": nullable("number", obj{"minimum": 0}),
	"code_postal":                 nullable("string", obj{"pattern": `^\d{5}$`}),
	"code_insee":                  nullable("string", obj{"pattern": `^\w{5}$`}),
	"siret":                       nullable("string", obj{"pattern": `^\d{14}$`}),
	"courriel":                    nullable("string", obj{"format": "email"}),
	"lien_mobilisation":           nullable("string", obj{"format": "uri"}),
	"lien_source":                 nullable("string", obj{"format": "uri"}),
	"site_web":                    nullable("string", obj{"format": "uri"}),
	"accessibilite_lieu":          nullable("string", obj{"format": "uri"}),
}

// v1Schema is the schema of a v1 record from its field table.
func v1Schema(title string, fields []opendata.Field) obj {
	props := obj{}
	var names []string
	for _, f := range fields {
		s, ok := v1Types[f.Name]
		if !ok {
			s = nullable("string", nil)
		}
		c := obj{"description": f.Description}
		for k, v := range s {
			c[k] = v
		}
		props[f.Name] = c
		names = append(names, f.Name)
	}
	return obj{"type": "object", "title": title, "properties": props, "required": names,
		"description": "Enregistrement " + title + " du schéma data·inclusion v1 : tous les champs sont présents, null quand ils sont vides."}
}

// param is a parameter of the document.
func param(name, in, description string, schema obj, example any, required bool) obj {
	p := obj{"name": name, "in": in, "description": description, "schema": schema, "required": required || in == "path"}
	if example != nil {
		p["example"] = example
	}
	if schema["type"] == "array" {
		p["style"], p["explode"] = "form", false // thematiques=a,b (a repeated parameter is read too)
		if example != nil {
			p["example"] = []any{example}
		}
	}
	return p
}

func query(name, description string, schema obj, example any) obj {
	return param(name, "query", description, schema, example, false)
}

func arrayOf(v *directory.Vocabulary) obj {
	return obj{"type": "array", "items": obj{"type": "string", "enum": enumOf(v)}}
}

// searchParams are the parameters of a search; page says whether it pages.
func searchParams(page bool) []any {
	ps := []any{
		query("code_commune", "Code INSEE de la commune des personnes aidées (un arrondissement ou une commune fusionnée donne la commune d’aujourd’hui). Un seul lieu parmi code_commune, code_postal, lat et lon.", obj{"type": "string", "pattern": `^\w{5}$`}, "86194"),
		query("code_postal", "Code postal d’une seule commune ; un code postal de plusieurs communes est une erreur 400 qui les liste.", obj{"type": "string", "pattern": `^\d{5}$`}, "86000"),
		query("lat", "Latitude WGS 84 d’une position, avec lon : la commune qui la contient, ou la plus proche à moins de 5 km.", obj{"type": "number", "minimum": -90, "maximum": 90}, 46.58),
		query("lon", "Longitude WGS 84, avec lat.", obj{"type": "number", "minimum": -180, "maximum": 180}, 0.34),
		query("rayon", "Distance d’accueil en km autour du lieu (50 par défaut).", obj{"type": "integer", "enum": []int{5, 10, 20, 50}}, 20),
		query("q", "Mots-clés (200 caractères au plus).", obj{"type": "string", "maxLength": directory.MaxSearchText}, "permis de conduire"),
		query("thematiques", "Thématiques ou catégories data·inclusion, séparées par des virgules ; une catégorie avec certains de ses besoins se restreint à ces besoins.",
			obj{"type": "array", "items": obj{"type": "string", "enum": append(enumOf(directory.ThematiqueCategories), enumOf(directory.Thematiques)...)}}, "mobilite"),
		query("types", "Types de services.", arrayOf(directory.ServiceTypes), "accompagnement"),
		query("frais", "Frais.", arrayOf(directory.Fees), "gratuit"),
		query("publics", "Publics ; un service « tous publics » ou sans public correspond à tous.", arrayOf(directory.Publics), "jeunes"),
		query("modes_accueil", "Modes d’accueil.", arrayOf(directory.ReceptionModes), "en-presentiel"),
		query("structure", "Identifiant Repère d’une structure : ses services seulement.", obj{"type": "string", "maxLength": 64}, nil),
		query("maj_depuis", "Services mis à jour depuis cette date (AAAA-MM-JJ).", obj{"type": "string", "format": "date"}, "2026-01-01"),
		query("sort", "Tri : pertinence (par défaut), distance, ou date de mise à jour. Autour d’un lieu, par pertinence, les services accueillant sur place dans le rayon et ceux listés pour leur travail à distance (a_distance, sans distance_m) sont classés séparément puis alternés : deux sur place, puis un à distance, tant qu’il en reste des deux sortes. Par distance, les services à distance viennent en dernier.", obj{"type": "string", "enum": []string{directory.SortPertinence, directory.SortDistance, directory.SortDate}}, directory.SortDistance),
	}
	if page {
		ps = append(ps,
			query("page", fmt.Sprintf("Page, de 1 à %d.", directory.MaxSearchPage), obj{"type": "integer", "minimum": 1, "maximum": directory.MaxSearchPage}, 2),
			query("size", fmt.Sprintf("Résultats par page, de 1 à %d (%d par défaut).", directory.MaxSearchSize, directory.DefaultSearchSize), obj{"type": "integer", "minimum": 1, "maximum": directory.MaxSearchSize}, 50))
	}
	return ps
}

func listParamsDoc() []any {
	return []any{
		query("code_departement", "Enregistrements dont la commune (code_insee) est dans ce département.", obj{"type": "string", "pattern": `^(\d{2}|2[AB]|97[1-6])$`}, "86"),
		query("source", "Enregistrements de ce producteur (champ source).", obj{"type": "string", "pattern": `^[a-z0-9][a-z0-9-]{0,63}$`}, "dora"),
		query("maj_depuis", "Enregistrements changés sur Repère depuis cette date : date_maj, ou l’import qui les a écrits (qui garde la date de leur producteur). Pour une mise à jour incrémentale, la date du parcours précédent.", obj{"type": "string", "format": "date"}, "2026-01-01"),
		query("cursor", "Position dans le parcours : le next_cursor de la page précédente, tel quel.", obj{"type": "string", "maxLength": 100}, string(opendata.EncodeCursor("0000000000000000"))),
		query("size", fmt.Sprintf("Enregistrements par page, de 1 à %d (%d par défaut).", opendata.MaxPageSize, opendata.DefaultPageSize), obj{"type": "integer", "minimum": 1, "maximum": opendata.MaxPageSize}, 1000),
	}
}

// responses are the answers of an operation: 200 with its content, and the
// problems every endpoint may answer.
func responses(ok obj, problems ...int) obj {
	r := obj{"200": ok}
	for _, status := range append(problems, 429) {
		r[fmt.Sprint(status)] = obj{"$ref": fmt.Sprintf("#/components/responses/Probleme%d", status)}
	}
	return r
}

func jsonOK(description string, schema obj) obj {
	return obj{"description": description, "headers": cacheHeaders(),
		"content": obj{"application/json": obj{"schema": schema}}}
}

func cacheHeaders() obj {
	return obj{
		"ETag":          obj{"description": "Étiquette de la réponse : redemandez avec If-None-Match pour recevoir 304 si rien n’a changé.", "schema": obj{"type": "string"}},
		"Cache-Control": obj{"description": "Durée pendant laquelle la réponse peut être gardée.", "schema": obj{"type": "string"}},
	}
}

func operation(id, tag, summary, description string, params []any, resp obj) obj {
	return obj{"get": obj{"operationId": id, "tags": []string{tag}, "summary": summary, "description": description,
		"parameters": params, "responses": resp}}
}

// openAPIDocument builds the description of the API at baseURL.
func openAPIDocument(baseURL string) obj {
	point := obj{"type": "object", "required": []string{"type", "coordinates"}, "properties": obj{
		"type": obj{"const": "Point"}, "coordinates": obj{"type": "array", "items": obj{"type": "number"}, "minItems": 2, "maxItems": 2}}}
	term := obj{"type": "object", "required": []string{"value", "label"}, "properties": obj{"value": obj{"type": "string"}, "label": obj{"type": "string"}}}
	ref2 := obj{"type": "object", "required": []string{"code", "nom"}, "properties": obj{"code": obj{"type": "string"}, "nom": obj{"type": "string"}}}
	page := func(item string) obj {
		return obj{"type": "object", "required": []string{"items", "size"}, "properties": obj{
			"items":       obj{"type": "array", "items": schemaRef(item)},
			"size":        obj{"type": "integer", "description": "Nombre d’enregistrements de la page (une page peut en compter moins que size sans être la dernière)."},
			"next_cursor": obj{"type": "string", "description": "À donner en cursor pour la page suivante ; absent sur la dernière."},
			"next":        obj{"type": "string", "format": "uri", "description": "Adresse de la page suivante (aussi dans l’en-tête Link)."},
		}}
	}
	schemas := obj{
		"Probleme": obj{"type": "object", "description": "Document de problème RFC 9457.", "required": []string{"type", "title", "status"}, "properties": obj{
			"type": obj{"type": "string"}, "title": obj{"type": "string"}, "status": obj{"type": "integer"},
			"detail": obj{"type": "string", "description": "Explication en français."}, "instance": obj{"type": "string"},
			"errors": obj{"type": "array", "description": "Les paramètres en cause.", "items": obj{"type": "object", "required": []string{"parameter", "detail"},
				"properties": obj{"parameter": obj{"type": "string"}, "detail": obj{"type": "string"}}}},
		}},
		"Point":          point,
		"ServiceV1":      v1Schema("service", opendata.ServiceFields),
		"StructureV1":    v1Schema("structure", opendata.StructureFields),
		"PageServices":   page("ServiceV1"),
		"PageStructures": page("StructureV1"),
		"ServiceDetaille": obj{"allOf": []any{schemaRef("ServiceV1"), obj{"type": "object", "required": []string{"url", "provenance"}, "properties": obj{
			"url": obj{"type": "string", "format": "uri", "description": "La fiche du service sur Repère."},
			"provenance": obj{"type": "object", "required": []string{"source", "texte", "position_approximative"}, "properties": obj{
				"source": obj{"type": "string"}, "via": obj{"type": "string"}, "date_maj": obj{"type": "string", "format": "date"},
				"licence": obj{"type": "string"}, "lien_source": obj{"type": "string"}, "position_approximative": obj{"type": "boolean"},
				"texte": obj{"type": "string", "description": "D’où vient la fiche, en une phrase."}}},
		}}}},
		"StructureDetaillee": obj{"allOf": []any{schemaRef("StructureV1"), obj{"type": "object", "required": []string{"url"}, "properties": obj{
			"url": obj{"type": "string", "format": "uri", "description": "La fiche de la structure sur Repère."}}}}},
		"Resultats": obj{"type": "object", "required": []string{"total", "page", "size", "results", "facets"}, "properties": obj{
			"total": obj{"type": "integer"}, "page": obj{"type": "integer"}, "size": obj{"type": "integer"},
			"centre": obj{"oneOf": []any{schemaRef("Point"), obj{"type": "null"}}}, "commune": obj{"oneOf": []any{ref2, obj{"type": "null"}}},
			"results": obj{"type": "array", "items": obj{"type": "object", "required": []string{"id", "nom", "structure", "thematiques", "date_maj", "url"}, "properties": obj{
				"id": obj{"type": "string"}, "nom": obj{"type": "string"},
				"structure":   obj{"type": "object", "properties": obj{"id": obj{"type": "string"}, "nom": obj{"type": "string"}}},
				"commune":     obj{"oneOf": []any{ref2, obj{"type": "null"}}},
				"distance_m":  nullable("integer", obj{"description": "Distance du lieu d’accueil, en mètres."}),
				"a_distance":  obj{"type": "boolean"},
				"thematiques": obj{"type": "array", "items": term}, "modes_accueil": obj{"type": "array", "items": term},
				"frais":   obj{"oneOf": []any{term, obj{"type": "null"}}},
				"extrait": obj{"type": "string"}, "horaires_accueil": obj{"type": "string"},
				"ouvert_maintenant": obj{"type": "boolean"}, "date_maj": obj{"type": "string", "format": "date"}, "url": obj{"type": "string", "format": "uri"},
			}}},
			"facets": obj{"type": "object", "additionalProperties": obj{"type": "array", "items": obj{"type": "object", "required": []string{"value", "label", "count"},
				"properties": obj{"value": obj{"type": "string"}, "label": obj{"type": "string"}, "count": obj{"type": "integer"}}}}},
		}},
		"Commune": obj{"type": "object", "required": []string{"code", "nom", "codesPostaux", "codeDepartement", "population", "url"}, "properties": obj{
			"code": obj{"type": "string"}, "nom": obj{"type": "string"}, "codesPostaux": obj{"type": "array", "items": obj{"type": "string"}},
			"codeDepartement": obj{"type": "string"}, "population": obj{"type": "integer"},
			"centre": obj{"oneOf": []any{schemaRef("Point"), obj{"type": "null"}}}, "url": obj{"type": "string"}}},
		"Territoire": obj{"type": "object", "required": []string{"cle", "libelle", "type"}, "properties": obj{
			"cle": obj{"type": "string", "description": "Clé de la zone, par exemple departement:86."}, "libelle": obj{"type": "string"}, "type": obj{"type": "string"}}},
		"Horaires": obj{"type": "object", "required": []string{"valide"}, "properties": obj{
			"valide": obj{"type": "boolean"}, "erreur": obj{"type": "string"}, "etat": obj{"type": "string"},
			"jours": obj{"type": "array", "items": obj{"type": "object", "required": []string{"jour", "horaires"}, "properties": obj{
				"jour": obj{"type": "string"}, "horaires": obj{"type": "string"}, "aujourdhui": obj{"type": "boolean"}}}}}},
		"FeatureCollection": obj{"type": "object", "required": []string{"type", "features"}, "properties": obj{
			"type": obj{"const": "FeatureCollection"},
			"features": obj{"type": "array", "items": obj{"type": "object", "required": []string{"type", "id", "geometry", "properties"}, "properties": obj{
				"type": obj{"const": "Feature"}, "id": obj{"type": "string"}, "geometry": obj{"oneOf": []any{schemaRef("Point"), obj{"type": "null"}}},
				"properties": obj{"type": "object", "additionalProperties": obj{"type": "string"}}}}}}},
	}
	problem := func(status int, what string) obj {
		return obj{"description": what, "content": obj{"application/problem+json": obj{"schema": schemaRef("Probleme")}},
			"headers": obj{"Retry-After": obj{"description": "Pour 429 : secondes à attendre.", "schema": obj{"type": "integer"}}}}
	}
	idParam := func(what string) []any {
		return []any{param("id", "path", "Identifiant Repère "+what+".", obj{"type": "string", "maxLength": 64}, "1x2y3z4a5b6c7d8e", true)}
	}
	download := func(ext, mime, label string, schema obj) obj {
		op := operation("telecharger"+strings.ToUpper(ext[:1])+ext[1:], "Recherche", "Télécharger une recherche en "+label,
			"Tous les résultats de la recherche, dans l’ordre des pages, envoyés au fil de l’eau (la mémoire du serveur ne dépend pas du nombre de résultats) ; mêmes paramètres que la recherche, sans page ni size."+
				map[string]string{"csv": " CSV en UTF-8 avec BOM, séparateur point-virgule : il s’ouvre tel quel dans un tableur.", "xlsx": "", "geojson": " Points (WGS 84) avec les champs en propriétés ; géométrie null pour un service sans lieu."}[ext],
			searchParams(false), responses(obj{"description": "Le fichier.", "headers": cacheHeaders(), "content": obj{mime: obj{"schema": schema}}}, 400))
		return op
	}
	paths := obj{
		"/api/v1/search/services": operation("rechercher", "Recherche", "Rechercher des services",
			"La recherche du site, avec les noms de paramètres de l’API data·inclusion : pour un lieu, les services dont la zone couvre sa commune et qui accueillent dans le rayon ou à distance ; facettes comptées comme si chaque filtre était levé.",
			searchParams(true), responses(jsonOK("Une page de résultats.", schemaRef("Resultats")), 400)),
		"/api/v1/search/services.csv":     download("csv", "text/csv", "CSV", obj{"type": "string"}),
		"/api/v1/search/services.xlsx":    download("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", obj{"type": "string", "format": "binary"}),
		"/api/v1/search/services.geojson": download("geojson", "application/geo+json", "GeoJSON", schemaRef("FeatureCollection")),
		"/api/v1/services": operation("listerServices", "data·inclusion", "Parcourir les services (data·inclusion v1)",
			"Tous les services visibles, dans l’ordre de leurs identifiants, qui ne changent jamais : un parcours page après page voit chaque service une fois, même si des fiches changent pendant qu’il avance. Les pages sont lues d’un instantané de l’offre refait quand les données changent (au plus toutes les "+fmt.Sprintf("%.0f", opendata.RefreshEvery.Minutes())+" minutes).",
			listParamsDoc(), responses(jsonOK("Une page de services.", schemaRef("PageServices")), 400)),
		"/api/v1/services/{id}": operation("lireService", "data·inclusion", "Lire un service",
			"Un service visible, au format data·inclusion v1, avec sa fiche sur Repère et sa provenance.", idParam("du service"),
			responses(jsonOK("Le service.", schemaRef("ServiceDetaille")), 400, 404)),
		"/api/v1/structures": operation("listerStructures", "data·inclusion", "Parcourir les structures (data·inclusion v1)",
			"Toutes les structures, sauf celles que la modération a refusées, dans l’ordre de leurs identifiants ; mêmes règles que les services.",
			listParamsDoc(), responses(jsonOK("Une page de structures.", schemaRef("PageStructures")), 400)),
		"/api/v1/structures/{id}": operation("lireStructure", "data·inclusion", "Lire une structure", "Une structure au format data·inclusion v1.", idParam("de la structure"),
			responses(jsonOK("La structure.", schemaRef("StructureDetaillee")), 400, 404)),
		"/api/v1/communes": operation("communes", "Géographie", "Compléter un nom de commune",
			"Les communes dont le nom ou le code postal commence par q, les plus peuplées d’abord, au format de geo.api.gouv.fr.",
			[]any{param("q", "query", "Début d’un nom de commune ou d’un code postal (1 à 100 caractères).", obj{"type": "string", "minLength": 1, "maxLength": 100}, "poit", true),
				query("limit", "Nombre de communes, de 1 à 50 (10 par défaut).", obj{"type": "integer", "minimum": 1, "maximum": 50}, 5)},
			responses(jsonOK("Les communes.", obj{"type": "array", "items": schemaRef("Commune")}), 400)),
		"/api/v1/territoires": operation("territoires", "Géographie", "Chercher un territoire",
			"La France, les régions, les départements, les intercommunalités et les communes dont le nom ou le code correspond à q : les zones d’éligibilité possibles.",
			[]any{param("q", "query", "Nom ou code (1 à 100 caractères).", obj{"type": "string", "minLength": 1, "maxLength": 100}, "vienne", true)},
			responses(jsonOK("Les territoires.", obj{"type": "array", "items": schemaRef("Territoire")}), 400)),
		"/api/v1/horaires": operation("horaires", "Outils", "Lire des horaires d’ouverture",
			"Vérifie des horaires écrits dans la syntaxe opening_hours d’OpenStreetMap et les décrit jour par jour.",
			[]any{query("horaires", "Horaires, 500 caractères au plus.", obj{"type": "string", "maxLength": 500}, "Mo-Fr 09:00-12:00,14:00-17:00")},
			responses(jsonOK("Les horaires lus.", schemaRef("Horaires")), 400)),
		"/api/v1/openapi.json": operation("description", "Outils", "Cette description", "La description OpenAPI 3.1 de l’API.", []any{},
			responses(jsonOK("La description.", obj{"type": "object"}), 400)),
		"/donnees/{fichier}": operation("fichier", "Fichiers", "Télécharger l’offre complète",
			"Un fichier de l’offre complète, compressé en gzip, refait quand les données changent ; voir la page /donnees.",
			[]any{param("fichier", "path", "Nom du fichier.", obj{"type": "string", "enum": []string{opendata.ServicesFile, opendata.StructuresFile, opendata.HSDSFile}}, opendata.ServicesFile, true)},
			responses(obj{"description": "Le fichier.", "headers": cacheHeaders(), "content": obj{"application/gzip": obj{"schema": obj{"type": "string", "format": "binary"}}}}, 400, 404)),
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "API Repère",
			"version": "1.0.0",
			"summary": "L’offre d’insertion publiée sur Repère : recherche, services et structures au format data·inclusion v1, téléchargements.",
			"description": "Données publiques, sans jeton ni inscription, sous Licence Ouverte 2.0 (citez « Repère » et, pour une fiche importée, son producteur). " +
				fmt.Sprintf("Chaque client (adresse IP) peut faire en moyenne un nombre limité de requêtes par seconde, par rafales ; au-delà, la réponse est 429 avec l’en-tête Retry-After. Pour tout récupérer, préférez les fichiers de l’offre complète (/donnees) ou le parcours des listes par pages de %d. ", opendata.MaxPageSize) +
				"Toute erreur est un document de problème (RFC 9457) qui nomme les paramètres en cause ; un paramètre inconnu ou répété est une erreur. Les réponses portent ETag (et Last-Modified pour une fiche) : redemandez avec If-None-Match ou If-Modified-Since pour recevoir 304. " +
				"Version : la version majeure est dans le chemin (/api/v1). Elle ne change que par ajouts (paramètres facultatifs, champs, valeurs de vocabulaire). Un changement incompatible fera une /api/v2 ; /api/v1 restera servie au moins douze mois après, annoncée par les en-têtes Deprecation et Sunset (RFC 8594) et sur la page /api.",
			"license": obj{"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
		},
		"servers": []any{obj{"url": baseURL}},
		"tags": []any{
			obj{"name": "Recherche", "description": "Chercher des services pour une commune, et télécharger les résultats."},
			obj{"name": "data·inclusion", "description": "Les services et les structures au format data·inclusion v1."},
			obj{"name": "Fichiers", "description": "L’offre complète en fichiers."},
			obj{"name": "Géographie", "description": "Communes et territoires."},
			obj{"name": "Outils", "description": "Outils des éditeurs de fiches."},
		},
		"paths": paths,
		"components": obj{
			"schemas": schemas,
			"responses": obj{
				"Probleme400": problem(400, "Demande invalide : les paramètres en cause sont nommés dans errors."),
				"Probleme404": problem(404, "Introuvable."),
				"Probleme429": problem(429, "Trop de requêtes : attendre Retry-After secondes."),
			},
		},
	}
}

// apiDocument is the document as served, built once.
func (s *Server) apiDocument() []byte {
	s.openAPIOnce.Do(func() {
		b, err := json.MarshalIndent(openAPIDocument(s.baseURL), "", "  ")
		if err != nil {
			panic(err) // a document of maps and strings always encodes
		}
		s.openAPI = b
	})
	return s.openAPI
}

// apiOpenAPI serves GET /api/v1/openapi.json.
func (s *Server) apiOpenAPI(c *fiber.Ctx) error {
	if _, errs := strictQuery(c); errs.Err() != nil {
		return errs.Err()
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.apiDocument())
}
