package directory

import (
	"slices"
	"strings"
)

// The vocabularies of data·inclusion schema v1 (reference/data-inclusion-schema/v1),
// with their French labels. vocabulary_test.go checks them against the JSON
// files both ways, so a schema upgrade shows up as a failing test.
//
// Two source labels carry typos that users would see; they are corrected here
// and listed in vocabulary_test.go: "Aide materielle" and "desSolidarités".

// Term is one value of a vocabulary.
type Term struct{ Value, Label, Description string }

// Vocabulary is an ordered, read-only set of terms.
type Vocabulary struct {
	terms []Term
	index map[string]int
}

func newVocabulary(terms []Term) *Vocabulary {
	v := &Vocabulary{terms: terms, index: make(map[string]int, len(terms))}
	for i, t := range terms {
		v.index[t.Value] = i
	}
	return v
}

// Terms returns the terms in the order of the schema, for forms and facets.
func (v *Vocabulary) Terms() []Term { return slices.Clone(v.terms) }

// Has reports whether value belongs to the vocabulary.
func (v *Vocabulary) Has(value string) bool {
	_, ok := v.index[value]
	return ok
}

// Label is the French label of value, or value itself when unknown, so that a
// stale value still shows something.
func (v *Vocabulary) Label(value string) string {
	if i, ok := v.index[value]; ok {
		return v.terms[i].Label
	}
	return value
}

// CategoryOf returns the category of a thématique: "mobilite" for
// "mobilite--preparer-un-permis", and for "mobilite" itself. It returns "" when
// the part before "--" is not a known category.
func CategoryOf(thematique string) string {
	category, _, _ := strings.Cut(thematique, "--")
	if !ThematiqueCategories.Has(category) {
		return ""
	}
	return category
}

// Besoins returns the thématique values of a category, in schema order; nil for
// an unknown category.
func Besoins(category string) []string {
	return slices.Clone(besoins[category])
}

var besoins = groupBesoins()

func groupBesoins() map[string][]string {
	m := make(map[string][]string, len(ThematiqueCategories.terms))
	for _, t := range Thematiques.terms {
		category, _, _ := strings.Cut(t.Value, "--")
		m[category] = append(m[category], t.Value)
	}
	return m
}

// ThematiqueCategories are the 16 categories of the thématiques (the part of a
// value before "--"). The v1 files do not label them; the labels are the v0
// ones where v0 has the same slug.
var ThematiqueCategories = newVocabulary([]Term{
	{"choisir-un-metier", "Choisir un métier", ""},
	{"creer-une-entreprise", "Créer une entreprise", ""},
	{"difficultes-administratives-ou-juridiques", "Difficultés administratives ou juridiques", ""},
	{"difficultes-financieres", "Difficultés financières", ""},
	{"equipement-et-alimentation", "Équipement et alimentation", ""},
	{"famille", "Famille", ""},
	{"lecture-ecriture-calcul", "Lecture, écriture, calcul", ""},
	{"logement-hebergement", "Logement et hébergement", ""},
	{"mobilite", "Mobilité", ""},
	{"numerique", "Numérique", ""},
	{"preparer-sa-candidature", "Préparer sa candidature", ""},
	{"remobilisation", "Remobilisation", ""},
	{"sante", "Santé", ""},
	{"se-former", "Se former", ""},
	{"souvrir-a-linternational", "S’ouvrir à l’international", ""},
	{"trouver-un-emploi", "Trouver un emploi", ""},
})

// Thematiques are the 69 besoins of thematiques.json, valued "categorie--besoin"
// (field thematiques).
var Thematiques = newVocabulary([]Term{
	{"choisir-un-metier--confirmer-son-choix-de-metier", "Confirmer son choix de métier", ""},
	{"choisir-un-metier--connaitre-les-opportunites-demploi", "Connaître les opportunités d’emploi", ""},
	{"choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", "Découvrir un métier ou un secteur d’activité", ""},
	{"choisir-un-metier--identifier-ses-points-forts-et-ses-competences", "Identifier ses points forts et ses compétences", ""},
	{"creer-une-entreprise--definir-son-projet-de-creation-dentreprise", "Définir son projet de création d’entreprise", ""},
	{"creer-une-entreprise--developper-son-entreprise", "Développer son entreprise", ""},
	{"creer-une-entreprise--structurer-son-projet-de-creation-dentreprise", "Structurer son projet de création d’entreprise", ""},
	{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives", "Accompagnement aux démarches administratives", ""},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete", "Accompagnement pour l’accès à la citoyenneté", ""},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", "Accompagnement pour l’accès aux droits", ""},
	{"difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte", "Bénéficier d’une mesure d’accompagnement adapté", ""},
	{"difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination", "Connaître ses droits face à une discrimination", ""},
	{"difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire", "Prendre en compte une problématique judiciaire", ""},
	{"difficultes-financieres--acquerir-une-autonomie-budgetaire", "Acquérir une autonomie budgétaire", ""},
	{"difficultes-financieres--ameliorer-sa-gestion-budgetaire", "Améliorer sa gestion budgétaire", ""},
	{"difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere", "Mettre en place une mesure de protection financière", ""},
	{"difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere", "Prévenir une dégradation de la situation financière", ""},
	{"difficultes-financieres--situation-dendettement-surendettement", "Situation d’endettement ou de surendettement", ""},
	{"equipement-et-alimentation--aide-menagere", "Aide ménagère", ""},
	{"equipement-et-alimentation--alimentation", "Alimentation", ""},
	{"equipement-et-alimentation--electromenager", "Électroménager", ""},
	{"equipement-et-alimentation--habillement", "Habillement", ""},
	{"famille--garde-denfants", "Garde d’enfants", ""},
	{"famille--prise-en-charge-personne-dependante", "Prise en charge d’une personne dépendante", ""},
	{"famille--soutien-a-la-parentalite-et-a-leducation", "Soutien à la parentalité et à l’éducation", ""},
	{"famille--soutien-aidants", "Soutien aux aidants", ""},
	{"famille--surmonter-conflits-separation-violence", "Surmonter les conflits liés à la séparation ou à la violence", ""},
	{"lecture-ecriture-calcul--maitriser-le-calcul", "Maîtriser le calcul", ""},
	{"lecture-ecriture-calcul--maitriser-le-francais", "Maîtriser le français", ""},
	{"logement-hebergement--acheter-un-logement", "Acheter un logement", ""},
	{"logement-hebergement--changer-de-logement", "Changer de logement", ""},
	{"logement-hebergement--louer-un-logement", "Louer un logement", ""},
	{"logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "Rechercher une solution d’hébergement temporaire", ""},
	{"logement-hebergement--reduire-les-impayes-de-loyer", "Réduire les impayés de loyer", ""},
	{"logement-hebergement--se-maintenir-dans-le-logement", "Se maintenir dans le logement", ""},
	{"logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement", "S’informer sur les démarches liées à l’accès au logement", ""},
	{"mobilite--acceder-a-un-vehicule", "Accéder à un véhicule", ""},
	{"mobilite--entretenir-reparer-son-vehicule", "Entretenir et réparer son véhicule", ""},
	{"mobilite--etre-accompagne-dans-son-parcours-mobilite", "Être accompagné dans son parcours mobilité", ""},
	{"mobilite--financer-ma-mobilite", "Financer ma mobilité", ""},
	{"mobilite--mobilite-douce-partagee-collective", "Utiliser des services de mobilité douce, partagée ou collective", ""},
	{"mobilite--preparer-un-permis", "Préparer un permis", ""},
	{"numerique--acceder-a-des-services-en-ligne", "Accéder à des services en ligne", ""},
	{"numerique--acceder-a-une-connexion-internet", "Accéder à une connexion Internet", ""},
	{"numerique--acquerir-un-equipement", "Acquérir un équipement", ""},
	{"numerique--maitriser-les-fondamentaux-du-numerique", "Maîtriser les fondamentaux du numérique", ""},
	{"preparer-sa-candidature--developper-son-reseau", "Développer son réseau", ""},
	{"preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi", "Organiser ses démarches de recherche d’emploi", ""},
	{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", "Réaliser un CV et/ou une lettre de motivation", ""},
	{"preparer-sa-candidature--valoriser-ses-competences", "Valoriser ses compétences", ""},
	{"remobilisation--activites-sportives-et-culturelles", "Activités sportives et culturelles", ""},
	{"remobilisation--benevolat-action-citoyenne", "Bénévolat et action citoyenne", ""},
	{"remobilisation--bien-etre-confiance-en-soi", "Bien-être et confiance en soi", ""},
	{"remobilisation--lien-social", "Lien social", ""},
	{"sante--acces-aux-soins", "Accès aux soins", ""},
	{"sante--addictions", "Addictions", ""},
	{"sante--constituer-un-dossier-mdph-invalidite", "Constituer un dossier MDPH pour invalidité", ""},
	{"sante--sante-mentale", "Santé mentale", ""},
	{"sante--sante-sexuelle", "Santé sexuelle", ""},
	{"se-former--monter-son-dossier-de-formation", "Monter son dossier de formation", ""},
	{"se-former--trouver-sa-formation", "Trouver sa formation", ""},
	{"souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger", "Connaître les opportunités d’emploi à l’étranger", ""},
	{"souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger", "S’informer sur les aides pour travailler à l’étranger", ""},
	{"souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france", "S’organiser suite à son retour en France", ""},
	{"trouver-un-emploi--convaincre-un-recruteur-en-entretien", "Convaincre un recruteur en entretien", ""},
	{"trouver-un-emploi--faire-des-candidatures-spontanees", "Faire des candidatures spontanées", ""},
	{"trouver-un-emploi--maintien-dans-lemploi", "Maintien dans l’emploi", ""},
	{"trouver-un-emploi--repondre-a-des-offres-demploi", "Répondre à des offres d’emploi", ""},
	{"trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs", "Suivre ses candidatures et relancer les employeurs", ""},
})

// ServiceTypes are the types of service (types-de-services.json, field type).
var ServiceTypes = newVocabulary([]Term{
	{"accompagnement", "Accompagnement", "Accompagnement global pour le retour à l’emploi"},
	{"aide-financiere", "Aide financière", "Prise en charge financière, aide ou rémunération soutenant le retour à l’emploi"},
	{"aide-materielle", "Aide matérielle", "Accéder à du matériel soutenant le retour à l’emploi (voiture, vélo, ordinateur, alimentation, etc)"},
	{"atelier", "Atelier", "Groupe de travail constitué autour d’une activité, d’un thème soutenant le retour à l’emploi"},
	{"formation", "Formation", "Formation dispensée par des professionnels pour les bénéficiaires"},
	{"information", "Information", "Premier niveau d’information apporté par des professionnels du secteur"},
})

// Fees say whether a service is free (frais.json, field frais).
var Fees = newVocabulary([]Term{
	{"gratuit", "Gratuit", "L’accès au lieu et/ou à ses services est gratuit"},
	{"payant", "Payant", "L’accès au lieu et/ou à ses services est payant"},
})

// Publics are the audiences a service is for (publics.json, field publics).
var Publics = newVocabulary([]Term{
	{"actifs", "Actifs", "Toute personne ayant un emploi, qu’il soit salarié, libéral ou à son compte"},
	{"beneficiaires-des-minimas-sociaux", "Bénéficiaires des minimas sociaux", "Personnes touchant des aides financières telles que RSA, SMIC, allocations familiales, bourses, etc"},
	{"demandeurs-emploi", "Demandeurs d’emploi", "Demandeurs d’emploi de tout type"},
	{"etudiants", "Étudiants", "Étudiants"},
	{"familles", "Familles", "Familles, parents, enfants, etc"},
	{"femmes", "Femmes", "Femmes isolées, victimes de violence, etc"},
	{"jeunes", "Jeunes", "Jeunes au sens large, jeunes adultes, adolescents, etc"},
	{"personnes-en-situation-de-handicap", "Personnes en situation de handicap", "Personnes en situation de handicap de tout type"},
	{"personnes-en-situation-durgence", "Personnes en situation d’urgence", "SDF, victimes de violence, grande précarité, etc"},
	{"personnes-en-situation-juridique-specifique", "Personnes en situation juridique spécifique", "Personnes sortant de détention, détenus ou autre statut juridique spécifique"},
	{"personnes-exilees", "Personnes exilées", "Réfugiés, demandeurs d’asile, personnes immigrées, etc"},
	{"residents-qpv-frr", "Résidents en QPV ou FRR", "Personnes résidentes en zone Quartier Prioritaire de la Ville ou France Ruralités Revitalisation (anciennement ZRR)"},
	{"seniors", "Séniors", "Personnes âgées, retraités, etc"},
	{"tous-publics", "Tous publics", "Tous publics"},
})

// ReceptionModes say where people are received (modes-accueil.json, field
// modes_accueil).
var ReceptionModes = newVocabulary([]Term{
	{"a-distance", "À distance", "Le service est proposé à distance, par téléphone ou internet."},
	{"en-presentiel", "En présentiel", "Le service est proposé en présentiel, à l’adresse associée à ce service."},
})

// MobilisationModes say how to reach a service (modes-mobilisation.json, field
// modes_mobilisation).
var MobilisationModes = newVocabulary([]Term{
	{"envoyer-un-courriel", "Envoyer un courriel", "Envoyer un courriel à l’adresse électronique associée au service, ou à défaut, à la structure."},
	{"se-presenter", "Se présenter", "Se présenter directement à l’adresse associée au service ou, à défaut, à la structure."},
	{"telephoner", "Téléphoner", "Téléphoner au numéro associé au service, ou à défaut, à la structure."},
	{"utiliser-lien-mobilisation", "Utiliser le lien de mobilisation", "Utiliser le lien de mobilisation du service."},
})

// Mobilisers say who may mobilise a service, « mobilisable par »
// (personnes-mobilisatrices.json, field mobilisable_par).
var Mobilisers = newVocabulary([]Term{
	{"professionnels", "Professionnels", "Service mobilisable par les professionnels de l’insertion."},
	{"usagers", "Usagers", "Service mobilisable par les usagers."},
})

// Networks are the networks a structure belongs to (reseaux-porteurs.json,
// structure field reseaux_porteurs).
var Networks = newVocabulary([]Term{
	{"60000-rebonds", "60 000 Rebonds", ""},
	{"aci", "Structures d’Insertion par l’Activité Économique - Ateliers et Chantiers d’Insertion", ""},
	{"action-logement", "Action Logement", ""},
	{"adie", "Association pour le Droit à l’Initiative Économique", ""},
	{"afpa", "Agence Nationale pour la Formation Professionnelle des Adultes", ""},
	{"agefiph", "Agefiph", ""},
	{"ai", "Associations Intermédiaires", ""},
	{"aidants-connect", "Aidants Connect", ""},
	{"alliance-villes-emploi", "Alliance Villes Emploi", ""},
	{"anlci", "Agence Nationale de Lutte Contre l’Illettrisme", ""},
	{"apprentis-dauteuil", "Apprentis d’Auteuil", ""},
	{"ase", "Aide Sociale à l’Enfance", ""},
	{"banques-alimentaires", "Banques Alimentaires", ""},
	{"caarud", "Centres d’Accueil et d’Accompagnement à la Réduction de Risques pour Usagers de Drogues", ""},
	{"cada", "Centres d’Accueil de Demandeurs d’Asile", ""},
	{"caf", "Caisse d’Allocations Familiales", ""},
	{"campus-connecte", "Campus Connecté", ""},
	{"cap-emploi-reseau-cheops", "CAP Emploi - Réseau CHEOPS", ""},
	{"cava", "Centres d’Adaptation à la Vie Active", ""},
	{"ccas-cias", "Les Centres Communaux d’Action Sociale et les Centres Intercommunaux d’Action Sociale", ""},
	{"chambres-consulaires", "Chambres Consulaires", "Les Chambres de Commerce et d’Industrie (CCI), les Chambres des Métiers et de l’Artisanat (CMA) et les Chambres d’Agriculture (CA)."},
	{"chantier-ecole", "Réseau Chantier École", ""},
	{"chrs", "Centres d’Hébergement et de Réinsertion Sociale", ""},
	{"chu", "Centres d’Hébergement d’Urgence", ""},
	{"cidff", "Centres d’Information sur les Droits des Femmes et des Familles", ""},
	{"cmp", "Centres Médico-Psychologiques", ""},
	{"cms", "Centres Médico-Sociaux", ""},
	{"cnam", "Conservatoire National des Arts et Métiers", ""},
	{"collectif-emploi", "Collectif Emploi", ""},
	{"communes", "Communes, mairies, communautés de communes, etc.", ""},
	{"conseillers-numeriques", "Conseillers Numériques", ""},
	{"coorace", "Fédération COORACE", ""},
	{"cpam", "Caisses Primaires d’Assurance Maladie", ""},
	{"cph", "Centres Provisoires d’Hébergement", ""},
	{"creches-avip", "Crèches à Vocation d’Insertion Professionnelle", ""},
	{"crepi", "CREPI", ""},
	{"cresus", "Fédération Française des Associations CRÉSUS", ""},
	{"croix-rouge", "Croix-Rouge", ""},
	{"csapa", "Centres de Soins, d’Accompagnement et de Prévention en Addictologie", ""},
	{"delegataire-conseil-departemental", "Organisation délégataire d’un Conseil Départemental", ""},
	{"departements", "Départements et Services Départementaux", "Les Conseils Départementaux (CD), les Unions Départementales des Associations Familiales (UDAF), les Centres Départementaux d’Action Sociale (CDAS), etc."},
	{"duo-for-a-job", "DUO for a JOB", ""},
	{"ea", "Entreprises Adaptées", ""},
	{"eatt", "Entreprises Adaptées de Travail Temporaire", ""},
	{"ecoles-de-la-deuxieme-chance", "Écoles de la 2ᵉ Chance", ""},
	{"egee", "Association EGEE", ""},
	{"ei", "Structures d’Insertion par l’Activité Économique - Entreprises d’Insertion", ""},
	{"eiti", "Structures d’Insertion par l’Activité Économique - Entreprises d’Insertion par le Travail Indépendant", ""},
	{"emmaus", "Emmaüs", ""},
	{"epide", "EPIDE", ""},
	{"esat", "Établissement et Service d’Accompagnement par le Travail", ""},
	{"espaces-publics-numeriques", "Espaces Publics Numériques", ""},
	{"etcld", "Expérimentation Territoriale contre le Chômage de Longue Durée", ""},
	{"etti", "Structures d’Insertion par l’Activité Économique - Entreprises de Travail Temporaire d’Insertion", ""},
	{"fabrique-de-territoire", "Fabrique de Territoire", ""},
	{"face", "Fondation FACE", ""},
	{"fcsf", "Fédération des Centres Sociaux et Socioculturels de France", ""},
	{"federation-des-acteurs-de-la-solidarite", "Fédération des Acteurs de la Solidarité", ""},
	{"federation-professionnelle-femmes", "Fédération Professionnelle pour les Femmes", ""},
	{"france-active", "France Active", ""},
	{"france-service", "France Service", ""},
	{"france-travail", "France Travail", ""},
	{"french-tech", "French Tech", ""},
	{"geiq", "GEIQ", ""},
	{"grandes-ecoles-du-numerique", "Grandes Écoles du Numérique", ""},
	{"huda", "Hébergement d’Urgence pour Demandeurs d’Asile", ""},
	{"hup", "Association H’UP", ""},
	{"inae", "INAÉ Nouvelle Aquitaine", ""},
	{"initiative-france", "Initiative France", ""},
	{"konexio", "Association Konexio", ""},
	{"la-cravate-solidaire", "La Cravate Solidaire", ""},
	{"la-poste", "La Poste", ""},
	{"les-premieres", "Les Premières", ""},
	{"maison-departementale-de-lautonomie", "Maisons Départementales de l’Autonomie", ""},
	{"maisons-de-l-emploi", "Maisons de l’Emploi", ""},
	{"maisons-des-solidarites", "Maisons Départementales des Solidarités (MDS)", "Les Maisons Départementales des Solidarités sont des services départementaux. Par conséquent, le réseau `departements` devrait être également défini pour ces structures."},
	{"mdph", "Maisons Départementales pour les Personnes Handicapées (MDPH)", ""},
	{"mission-locale", "Mission Locale", ""},
	{"mjc", "Maisons des Jeunes et de la Culture", ""},
	{"mobin", "Mob’In", ""},
	{"msap", "Maisons de Services Au Public", ""},
	{"mutualite-sociale-agricole", "Mutualité Sociale Agricole", ""},
	{"nqt", "Association NQT", ""},
	{"pimms-mediation", "Point Information Médiation Multi Services", ""},
	{"pjj", "Protection Judiciaire de la Jeunesse", ""},
	{"plie", "Plans Locaux pour l’Insertion et l’Emploi", ""},
	{"points-conseil-budget", "Points Conseil Budget", ""},
	{"points-justice", "Points Justice", ""},
	{"positive-planet", "Positive Planet", ""},
	{"regions", "Régions, Préfectures et services régionaux", "Les Conseils Régionaux (CR), les préfectures, les Directions Régionales de l’Économie, de l’Emploi, du Travail et des Solidarités (DREETS), etc."},
	{"reseau-app", "Réseau APP", ""},
	{"reseau-bge", "Réseau BGE", ""},
	{"reseau-entreprendre", "Réseau Entreprendre", ""},
	{"reseau-information-jeunesse", "Réseau Information Jeunesse", ""},
	{"residences-fjt", "Résidences - Foyers Jeunes Travailleurs", ""},
	{"ressourceries", "Ressourceries", ""},
	{"restos-du-coeur", "Restos du Coeur", ""},
	{"secours-populaire", "Secours Populaire", ""},
	{"siao", "Services Intégrés d’Accueil et d’Orientation", ""},
	{"simplon", "Simplon", ""},
	{"singa", "Association SINGA", ""},
	{"snc", "Solidarité Nouvelle Face au Chômage", ""},
	{"spip", "Services Pénitentiaires d’Insertion et de Probation", ""},
	{"tous-tes-possibles", "Tous Tes Possibles", ""},
	{"unaf", "Union Nationale de l’Aide aux Familles", ""},
	{"unea", "Union Nationale des Entreprises Adaptées", ""},
	{"unis-cite", "UnisCité", ""},
	{"wimoov", "Wimoov", ""},
})
