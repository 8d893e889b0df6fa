package opendata

// Field is one field of a data·inclusion v1 record, as the open-data page
// and the OpenAPI description explain it.
type Field struct {
	Name, Description string
}

// ServiceFields are the fields of a v1 service, in the schema's order.
var ServiceFields = []Field{
	{"id", "Identifiant du service sur Repère (16 caractères, stable)."},
	{"structure_id", "Identifiant sur Repère de la structure qui porte le service."},
	{"source", "Producteur de la donnée, au sens de data·inclusion (par exemple « dora », « monenfant ») ; les services saisis sur Repère ont la source de leur structure."},
	{"nom", "Nom du service (3 à 150 caractères)."},
	{"description", "Description, en Markdown (5 à 10 000 caractères)."},
	{"type", "Type de service (vocabulaire data·inclusion « types de services »)."},
	{"thematiques", "Besoins couverts (vocabulaire data·inclusion « thématiques », de la forme catégorie--besoin)."},
	{"frais", "« gratuit » ou « payant »."},
	{"frais_precisions", "Précisions sur les frais."},
	{"publics", "Publics accueillis (vocabulaire « publics »)."},
	{"publics_precisions", "Précisions sur les publics."},
	{"conditions_acces", "Conditions d’accès."},
	{"adresse", "Adresse du lieu d’accueil."},
	{"complement_adresse", "Complément d’adresse."},
	{"code_postal", "Code postal (5 chiffres)."},
	{"commune", "Nom de la commune."},
	{"code_insee", "Code INSEE de la commune (5 caractères)."},
	{"latitude", "Latitude WGS 84 du lieu d’accueil."},
	{"longitude", "Longitude WGS 84 du lieu d’accueil."},
	{"telephone", "Téléphone, au format international (+33…)."},
	{"courriel", "Adresse électronique de contact."},
	{"contact_nom_prenom", "Nom de la personne à contacter."},
	{"modes_accueil", "« en-presentiel » et/ou « a-distance »."},
	{"zone_eligibilite", "Territoires dont les habitants peuvent bénéficier du service : « france », codes de départements, d’EPCI (SIREN) ou de communes (INSEE) ; une région est donnée par ses départements."},
	{"modes_mobilisation", "Comment mobiliser le service (vocabulaire « modes de mobilisation »)."},
	{"mobilisable_par", "Qui peut le mobiliser : « usagers », « professionnels »."},
	{"mobilisation_precisions", "Précisions sur la mobilisation."},
	{"lien_mobilisation", "Adresse web où mobiliser le service."},
	{"horaires_accueil", "Horaires d’accueil, dans la syntaxe opening_hours d’OpenStreetMap."},
	{"nombre_semaines", "Durée en semaines, pour une prestation."},
	{"volume_horaire_hebdomadaire", "Heures par semaine, pour une prestation."},
	{"lien_source", "Adresse de la fiche chez son producteur."},
	{"date_maj", "Date de la dernière mise à jour de la fiche (AAAA-MM-JJ) ; pour une fiche importée, celle de son producteur."},
}

// StructureFields are the fields of a v1 structure.
var StructureFields = []Field{
	{"id", "Identifiant de la structure sur Repère."},
	{"source", "Producteur de la donnée, au sens de data·inclusion."},
	{"nom", "Nom de la structure."},
	{"siret", "SIRET (14 chiffres)."},
	{"description", "Présentation, en Markdown."},
	{"adresse", "Adresse."},
	{"complement_adresse", "Complément d’adresse."},
	{"code_postal", "Code postal."},
	{"commune", "Nom de la commune."},
	{"code_insee", "Code INSEE de la commune."},
	{"latitude", "Latitude WGS 84."},
	{"longitude", "Longitude WGS 84."},
	{"telephone", "Téléphone, au format international."},
	{"courriel", "Adresse électronique de contact."},
	{"site_web", "Site web."},
	{"horaires_accueil", "Horaires d’accueil, syntaxe opening_hours d’OpenStreetMap."},
	{"accessibilite_lieu", "Adresse de la fiche d’accessibilité du lieu (Acceslibre)."},
	{"reseaux_porteurs", "Réseaux dont la structure fait partie (vocabulaire « réseaux porteurs »)."},
	{"lien_source", "Adresse de la fiche chez son producteur."},
	{"date_maj", "Date de la dernière mise à jour (AAAA-MM-JJ)."},
}
