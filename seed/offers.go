package seed

// offer is a kind of service a structure can run: one besoin (a data·inclusion
// thématique), a name and an opening paragraph. {a_commune} becomes "à
// Châtellerault", "au Mans" or "aux Sables-d'Olonne".
type offer struct {
	besoin string
	name   string
	typ    string
	fees   string // "gratuit" or "payant"
	text   string
}

// offers holds at least one offer for each of the 69 thématiques of data·inclusion v1;
// seed_test.go checks it against the vocabulary.
var offers = []offer{
	// choisir-un-metier
	{"choisir-un-metier--confirmer-son-choix-de-metier", "Immersion en entreprise pour valider votre projet", "accompagnement", "gratuit",
		"Vous hésitez encore sur le métier à viser ? Une période de mise en situation en milieu professionnel (PMSMP) vous permet de passer quelques jours dans une entreprise {a_commune} pour confronter votre projet à la réalité du terrain."},
	{"choisir-un-metier--confirmer-son-choix-de-metier", "Atelier « Mon projet tient-il la route ? »", "atelier", "gratuit",
		"En petit groupe, vous vérifiez que le métier envisagé correspond à vos contraintes (horaires, mobilité, santé) et aux besoins des employeurs du territoire."},
	{"choisir-un-metier--connaitre-les-opportunites-demploi", "Information sur les métiers qui recrutent", "information", "gratuit",
		"Chaque mois, nous présentons les secteurs qui embauchent près de chez vous, les salaires pratiqués et les formations courtes qui y mènent."},
	{"choisir-un-metier--connaitre-les-opportunites-demploi", "Découverte du marché de l'emploi local", "atelier", "gratuit",
		"Cet atelier vous aide à repérer les entreprises qui recrutent {a_commune} et dans les environs, y compris celles qui ne publient pas d'offres."},
	{"choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", "Visites d'entreprises et rencontres métiers", "atelier", "gratuit",
		"Nous organisons des visites d'entreprises et des rencontres avec des professionnels du bâtiment, du soin, de la logistique ou de la restauration pour vous faire découvrir leur quotidien."},
	{"choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", "Découverte des métiers du soin et de l'aide à la personne", "information", "gratuit",
		"Aide-soignant, auxiliaire de vie, agent de service hospitalier : venez découvrir ces métiers qui recrutent, leurs conditions d'exercice et les voies d'accès."},
	{"choisir-un-metier--identifier-ses-points-forts-et-ses-competences", "Bilan de compétences et d'orientation", "accompagnement", "gratuit",
		"Un conseiller vous accompagne sur plusieurs séances pour faire le point sur votre parcours, vos savoir-faire et vos envies, et construire un projet professionnel réaliste."},
	{"choisir-un-metier--identifier-ses-points-forts-et-ses-competences", "Atelier « Mes atouts »", "atelier", "gratuit",
		"À partir de vos expériences, y compris bénévoles ou familiales, vous identifiez vos compétences transférables et apprenez à les nommer."},

	// creer-une-entreprise
	{"creer-une-entreprise--definir-son-projet-de-creation-dentreprise", "Réunion d'information sur la création d'entreprise", "information", "gratuit",
		"Vous avez une idée d'activité ? Cette réunion présente les étapes de la création, les statuts possibles et les aides auxquelles vous pouvez prétendre."},
	{"creer-une-entreprise--definir-son-projet-de-creation-dentreprise", "Accompagnement à l'émergence de projet", "accompagnement", "gratuit",
		"Un conseiller vous aide à passer de l'idée au projet : étude de votre marché, premiers chiffres et vérification de l'adéquation entre le projet et votre situation personnelle."},
	{"creer-une-entreprise--structurer-son-projet-de-creation-dentreprise", "Construire son business plan", "formation", "gratuit",
		"Une formation courte pour bâtir votre prévisionnel, choisir votre statut juridique et préparer vos rendez-vous avec les banques et les financeurs."},
	{"creer-une-entreprise--structurer-son-projet-de-creation-dentreprise", "Microcrédit professionnel", "aide-financiere", "payant",
		"Vous n'avez pas accès au crédit bancaire ? Le microcrédit professionnel finance le démarrage de votre activité, avec un accompagnement avant et après la création."},
	{"creer-une-entreprise--developper-son-entreprise", "Suivi post-création des jeunes entreprises", "accompagnement", "gratuit",
		"Pendant les trois premières années, un conseiller fait régulièrement le point avec vous sur votre activité, votre trésorerie et vos perspectives de développement."},
	{"creer-une-entreprise--developper-son-entreprise", "Parrainage de créateurs d'entreprise", "accompagnement", "gratuit",
		"Un chef d'entreprise bénévole vous accompagne pendant un an : prise de recul, conseils, mise en relation avec son réseau."},

	// difficultes-administratives-ou-juridiques
	{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives", "Aide aux démarches administratives", "accompagnement", "gratuit",
		"Un dossier à remplir, un courrier que vous ne comprenez pas, une démarche en ligne qui bloque ? Nos agents vous reçoivent et vous aident à avancer, pas à pas."},
	{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives", "Écrivain public", "accompagnement", "gratuit",
		"L'écrivain public vous aide à rédiger vos courriers, à compléter vos formulaires et à comprendre les documents que vous recevez, en toute confidentialité."},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete", "Préparation à la naturalisation et au titre de séjour", "accompagnement", "gratuit",
		"Nous vous aidons à constituer votre dossier de demande de titre de séjour ou de naturalisation et à préparer l'entretien d'assimilation."},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete", "Atelier « Vivre en France » : valeurs et institutions", "atelier", "gratuit",
		"Un atelier pour comprendre le fonctionnement des institutions françaises, vos droits et vos devoirs, et la vie citoyenne locale."},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", "Permanence d'accès aux droits", "accompagnement", "gratuit",
		"Nous faisons avec vous le point sur les aides auxquelles vous avez droit (RSA, prime d'activité, APL, complémentaire santé solidaire) et vous accompagnons dans les demandes."},
	{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", "Rendez-vous des droits", "information", "gratuit",
		"Lors d'un entretien individuel, un conseiller examine l'ensemble de votre situation pour vérifier que vous percevez toutes les prestations auxquelles vous pouvez prétendre."},
	{"difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte", "Accompagnement social global", "accompagnement", "gratuit",
		"Un travailleur social vous accompagne dans la durée lorsque plusieurs difficultés s'accumulent : logement, budget, santé, emploi."},
	{"difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte", "Mesure d'accompagnement social personnalisé (MASP)", "accompagnement", "gratuit",
		"La MASP aide les personnes qui perçoivent des prestations sociales et rencontrent des difficultés à gérer leurs ressources, avec leur accord et pour une durée définie."},
	{"difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination", "Permanence juridique contre les discriminations", "information", "gratuit",
		"Refus de location, d'embauche ou de service en raison de votre origine, de votre sexe, de votre handicap ou de votre adresse ? Une juriste vous informe sur vos droits et les recours possibles."},
	{"difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire", "Consultation juridique gratuite", "information", "gratuit",
		"Un avocat ou un juriste répond à vos questions sur une procédure en cours, un litige, une convocation au tribunal ou l'exécution d'une décision de justice."},
	{"difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire", "Accompagnement des personnes sous main de justice", "accompagnement", "gratuit",
		"Nous accompagnons les personnes placées sous main de justice dans leur projet d'insertion : logement, emploi, soins et démarches administratives."},

	// difficultes-financieres
	{"difficultes-financieres--acquerir-une-autonomie-budgetaire", "Atelier budget du quotidien", "atelier", "gratuit",
		"Factures, abonnements, courses : en petit groupe, vous apprenez à construire votre budget mensuel et à repérer les dépenses que vous pouvez réduire."},
	{"difficultes-financieres--ameliorer-sa-gestion-budgetaire", "Conseil budgétaire personnalisé", "accompagnement", "gratuit",
		"Une conseillère examine avec vous vos ressources et vos charges, vous aide à négocier avec vos créanciers et à retrouver de l'équilibre, en toute confidentialité."},
	{"difficultes-financieres--ameliorer-sa-gestion-budgetaire", "Atelier « Économies d'énergie et de factures »", "atelier", "gratuit",
		"Comprendre vos factures d'eau et d'énergie, comparer les offres, adopter les bons gestes : cet atelier vous aide à alléger vos charges."},
	{"difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere", "Information sur les mesures de protection juridique", "information", "gratuit",
		"Sauvegarde de justice, curatelle, tutelle, habilitation familiale : nous vous expliquons ces mesures et vous aidons à saisir le juge des contentieux de la protection."},
	{"difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere", "Aide financière d'urgence", "aide-financiere", "gratuit",
		"En cas de difficulté passagère, une aide ponctuelle peut vous être accordée pour faire face à une dépense urgente (énergie, alimentation, frais de santé), après étude de votre situation."},
	{"difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere", "Microcrédit personnel", "aide-financiere", "payant",
		"Pour financer un projet utile (véhicule, formation, équipement) quand la banque refuse un prêt classique, nous vous aidons à monter un microcrédit personnel accompagné."},
	{"difficultes-financieres--situation-dendettement-surendettement", "Aide au dossier de surendettement", "accompagnement", "gratuit",
		"Vous ne parvenez plus à rembourser vos dettes ? Nous vous aidons à constituer le dossier de surendettement auprès de la Banque de France et vous accompagnons jusqu'à la décision."},

	// equipement-et-alimentation
	{"equipement-et-alimentation--aide-menagere", "Aide à domicile et aide ménagère", "aide-materielle", "payant",
		"Une aide à domicile intervient chez vous pour l'entretien du logement, les courses ou la préparation des repas, avec une participation calculée selon vos ressources."},
	{"equipement-et-alimentation--alimentation", "Épicerie solidaire", "aide-materielle", "payant",
		"L'épicerie solidaire propose des produits alimentaires et d'hygiène à environ 20 % de leur prix habituel, sur orientation d'un travailleur social et pour une durée limitée."},
	{"equipement-et-alimentation--alimentation", "Distribution de colis alimentaires", "aide-materielle", "gratuit",
		"Chaque semaine, nos bénévoles distribuent des colis alimentaires comprenant des produits frais, secs et d'hygiène aux personnes inscrites."},
	{"equipement-et-alimentation--alimentation", "Repas solidaires", "aide-materielle", "gratuit",
		"Nous servons un repas chaud le midi, dans un cadre convivial, aux personnes isolées ou en difficulté."},
	{"equipement-et-alimentation--electromenager", "Électroménager reconditionné à petit prix", "aide-materielle", "payant",
		"Réfrigérateurs, lave-linge, plaques de cuisson : nos appareils sont contrôlés, réparés et garantis six mois, à prix solidaire."},
	{"equipement-et-alimentation--electromenager", "Aide à l'équipement du logement", "aide-financiere", "gratuit",
		"Lors d'une première installation, une aide peut financer l'achat de l'équipement de base : literie, électroménager, meubles de première nécessité."},
	{"equipement-et-alimentation--habillement", "Vestiaire solidaire", "aide-materielle", "gratuit",
		"Vêtements pour adultes et enfants, chaussures et linge de maison, triés et en bon état, sont remis gratuitement ou contre une participation symbolique."},
	{"equipement-et-alimentation--habillement", "Tenue pour l'entretien d'embauche", "aide-materielle", "gratuit",
		"Avant un entretien d'embauche, venez choisir une tenue adaptée au poste visé et recevoir des conseils d'image, le tout gratuitement."},

	// famille
	{"famille--garde-denfants", "Crèche à vocation d'insertion professionnelle (AVIP)", "aide-materielle", "payant",
		"La crèche réserve des places aux enfants de parents en recherche d'emploi ou en formation, pour leur permettre de se rendre à leurs rendez-vous et de reprendre une activité."},
	{"famille--garde-denfants", "Garde d'enfants à horaires atypiques", "aide-materielle", "payant",
		"Vous commencez tôt, finissez tard ou travaillez le week-end ? Des professionnelles gardent vos enfants à domicile en dehors des horaires des crèches."},
	{"famille--garde-denfants", "Relais petite enfance", "information", "gratuit",
		"Le relais vous informe sur les modes de garde disponibles {a_commune}, vous met en relation avec des assistantes maternelles et vous aide dans vos démarches d'employeur."},
	{"famille--prise-en-charge-personne-dependante", "Aide à la constitution du dossier APA", "accompagnement", "gratuit",
		"Nous vous aidons à demander l'allocation personnalisée d'autonomie pour un proche âgé et à organiser les aides à domicile dont il a besoin."},
	{"famille--prise-en-charge-personne-dependante", "Accueil de jour pour personnes âgées", "aide-materielle", "payant",
		"L'accueil de jour reçoit, une ou plusieurs journées par semaine, des personnes âgées en perte d'autonomie, pour des activités adaptées et un temps de répit pour leurs proches."},
	{"famille--soutien-a-la-parentalite-et-a-leducation", "Lieu d'accueil enfants-parents", "atelier", "gratuit",
		"Un espace de jeu et de parole pour les enfants de moins de six ans et leurs parents, anonyme et sans inscription, animé par des professionnels de la petite enfance."},
	{"famille--soutien-a-la-parentalite-et-a-leducation", "Groupe de parole entre parents", "atelier", "gratuit",
		"Adolescence, écrans, scolarité : partagez vos questions avec d'autres parents, accompagnés par une psychologue."},
	{"famille--soutien-aidants", "Formation des proches aidants", "formation", "gratuit",
		"Vous accompagnez un proche malade, âgé ou en situation de handicap ? Ces séances vous donnent des repères pratiques et des temps d'échange pour ne pas vous épuiser."},
	{"famille--soutien-aidants", "Plateforme de répit", "accompagnement", "gratuit",
		"Écoute, conseils et solutions de répit (accueil temporaire, relais à domicile) pour les aidants qui ont besoin de souffler."},
	{"famille--surmonter-conflits-separation-violence", "Écoute et accompagnement des victimes de violences conjugales", "accompagnement", "gratuit",
		"Une intervenante spécialisée vous écoute, vous informe sur vos droits et vous aide à trouver une mise à l'abri si nécessaire. En cas de danger immédiat, composez le 17."},
	{"famille--surmonter-conflits-separation-violence", "Médiation familiale", "accompagnement", "payant",
		"La médiation familiale aide les parents qui se séparent à renouer le dialogue et à trouver ensemble des accords pour leurs enfants, avec une participation selon vos revenus."},

	// lecture-ecriture-calcul
	{"lecture-ecriture-calcul--maitriser-le-francais", "Ateliers sociolinguistiques", "atelier", "gratuit",
		"Pour les adultes qui veulent améliorer leur français à l'oral et à l'écrit dans les situations du quotidien : rendez-vous médical, école des enfants, démarches."},
	{"lecture-ecriture-calcul--maitriser-le-francais", "Cours de français langue étrangère", "formation", "gratuit",
		"Des cours de français par niveau, du grand débutant au niveau B1, pour communiquer au quotidien et préparer votre insertion professionnelle."},
	{"lecture-ecriture-calcul--maitriser-le-francais", "Remise à niveau en lecture et en écriture", "formation", "gratuit",
		"Vous avez été scolarisé en France mais la lecture et l'écriture restent difficiles ? Une formatrice vous accompagne à votre rythme, en toute discrétion."},
	{"lecture-ecriture-calcul--maitriser-le-calcul", "Remise à niveau en calcul", "formation", "gratuit",
		"Pourcentages, conversions, lecture d'un plan ou d'une fiche de paie : une formation pour reprendre confiance dans les mathématiques utiles au travail et au quotidien."},

	// logement-hebergement
	{"logement-hebergement--acheter-un-logement", "Conseil en accession à la propriété", "information", "gratuit",
		"Prêt à taux zéro, prêt d'accession sociale, bail réel solidaire : un conseiller vous informe sur les dispositifs d'aide à l'achat d'un premier logement."},
	{"logement-hebergement--changer-de-logement", "Accompagnement à la mutation de logement social", "accompagnement", "gratuit",
		"Votre logement n'est plus adapté à votre famille, à votre santé ou à vos ressources ? Nous vous aidons à formuler une demande de mutation et à la faire aboutir."},
	{"logement-hebergement--louer-un-logement", "Aide à la recherche de logement", "accompagnement", "gratuit",
		"Nous vous aidons à déposer votre demande de logement social, à constituer un dossier de location solide et à solliciter les garanties existantes (Visale, FSL)."},
	{"logement-hebergement--louer-un-logement", "Garantie et avance du dépôt de garantie", "aide-financiere", "gratuit",
		"Pour entrer dans un logement, une aide peut avancer votre dépôt de garantie et se porter garante du paiement de votre loyer auprès du bailleur."},
	{"logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "Hébergement d'urgence", "aide-materielle", "gratuit",
		"Des places d'hébergement d'urgence accueillent les personnes sans abri, sur orientation du 115. Un travailleur social vous accompagne vers une solution durable."},
	{"logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "Logement temporaire pour jeunes actifs", "aide-materielle", "payant",
		"Des chambres et studios meublés pour les jeunes de 16 à 30 ans en formation, en stage ou en premier emploi, avec un accompagnement vers le logement autonome."},
	{"logement-hebergement--reduire-les-impayes-de-loyer", "Prévention des expulsions locatives", "accompagnement", "gratuit",
		"Dès le premier impayé de loyer, contactez-nous : nous vous aidons à établir un plan d'apurement avec votre bailleur et à solliciter le fonds de solidarité logement."},
	{"logement-hebergement--se-maintenir-dans-le-logement", "Accompagnement social lié au logement", "accompagnement", "gratuit",
		"Un travailleur social vous accompagne pour bien vivre dans votre logement : entretien, relations avec le voisinage, gestion des charges et des démarches."},
	{"logement-hebergement--se-maintenir-dans-le-logement", "Adaptation du logement au vieillissement", "aide-financiere", "gratuit",
		"Douche à l'italienne, barres d'appui, monte-escalier : nous vous aidons à financer les travaux qui permettent de rester chez soi en sécurité."},
	{"logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement", "Permanence d'information logement", "information", "gratuit",
		"Bail, état des lieux, aides au logement, droits et devoirs du locataire : un juriste répond gratuitement à toutes vos questions sur le logement."},

	// mobilite
	{"mobilite--acceder-a-un-vehicule", "Location solidaire de voitures et de scooters", "aide-materielle", "payant",
		"Vous avez trouvé un emploi ou une formation mais n'avez pas de moyen de transport ? Nous louons voitures, scooters et vélos à assistance électrique à tarif solidaire, le temps de trouver une solution durable."},
	{"mobilite--acceder-a-un-vehicule", "Vente de véhicules d'occasion à prix solidaire", "aide-materielle", "payant",
		"Des véhicules d'occasion révisés dans notre garage sont vendus à prix solidaire aux personnes qui en ont besoin pour travailler."},
	{"mobilite--entretenir-reparer-son-vehicule", "Garage solidaire", "aide-materielle", "payant",
		"Réparations et entretien de votre véhicule à prix réduit, avec la possibilité d'apprendre à faire vous-même les petites interventions avec un mécanicien."},
	{"mobilite--etre-accompagne-dans-son-parcours-mobilite", "Conseil en mobilité", "accompagnement", "gratuit",
		"Une conseillère fait avec vous le bilan de vos déplacements et construit un plan d'action : transports en commun, covoiturage, permis, location de véhicule, aides."},
	{"mobilite--etre-accompagne-dans-son-parcours-mobilite", "Atelier « Se déplacer sans voiture »", "atelier", "gratuit",
		"Lire un plan de réseau, acheter un titre de transport, organiser un trajet avec correspondances : un atelier pratique pour gagner en autonomie dans vos déplacements."},
	{"mobilite--financer-ma-mobilite", "Aide financière au permis et aux déplacements", "aide-financiere", "gratuit",
		"Une aide peut prendre en charge une partie du coût du permis de conduire, des réparations de votre véhicule ou de vos frais de transport pour un emploi ou une formation."},
	{"mobilite--preparer-un-permis", "Auto-école solidaire", "formation", "payant",
		"L'auto-école solidaire propose une formation au permis B adaptée aux personnes qui rencontrent des difficultés d'apprentissage, à tarif réduit et avec un suivi renforcé."},
	{"mobilite--preparer-un-permis", "Préparation au code de la route", "formation", "gratuit",
		"Des séances encadrées pour réviser le code de la route, avec des supports adaptés aux personnes qui maîtrisent mal le français écrit."},
	{"mobilite--mobilite-douce-partagee-collective", "Prêt de vélos et apprentissage du vélo", "aide-materielle", "gratuit",
		"Nous prêtons des vélos pour aller travailler et proposons des séances pour apprendre ou réapprendre à circuler en toute sécurité."},
	{"mobilite--mobilite-douce-partagee-collective", "Transport solidaire", "aide-materielle", "payant",
		"Des chauffeurs bénévoles vous conduisent à vos rendez-vous (médecin, administration, entretien d'embauche) lorsque aucun transport en commun n'est possible."},

	// numerique
	{"numerique--acceder-a-des-services-en-ligne", "Accompagnement aux démarches en ligne", "accompagnement", "gratuit",
		"Déclaration de ressources, espace France Travail, prise de rendez-vous en préfecture : un conseiller numérique réalise avec vous vos démarches en ligne."},
	{"numerique--acceder-a-des-services-en-ligne", "Aidants Connect : démarches faites pour vous", "accompagnement", "gratuit",
		"Si vous ne pouvez pas faire vos démarches en ligne seul, un aidant habilité peut les réaliser à votre place, de façon sécurisée, avec votre accord."},
	{"numerique--acceder-a-une-connexion-internet", "Accès libre à des ordinateurs et au wifi", "aide-materielle", "gratuit",
		"Des ordinateurs connectés, une imprimante et un scanner sont à votre disposition en accès libre, avec un médiateur pour vous aider si besoin."},
	{"numerique--acquerir-un-equipement", "Ordinateurs reconditionnés à prix solidaire", "aide-materielle", "payant",
		"Ordinateurs portables et tablettes reconditionnés, garantis un an, à partir de 50 euros pour les personnes aux revenus modestes."},
	{"numerique--maitriser-les-fondamentaux-du-numerique", "Initiation à l'informatique et à Internet", "formation", "gratuit",
		"Allumer un ordinateur, envoyer un courriel, naviguer en sécurité, utiliser son smartphone : des séances pour débutants, en petits groupes."},
	{"numerique--maitriser-les-fondamentaux-du-numerique", "Atelier « Mon smartphone au quotidien »", "atelier", "gratuit",
		"Installer une application, protéger ses données, faire une visioconférence : un atelier pratique avec votre propre téléphone."},

	// preparer-sa-candidature
	{"preparer-sa-candidature--developper-son-reseau", "Club de recherche d'emploi", "atelier", "gratuit",
		"Chaque semaine, des personnes en recherche d'emploi se retrouvent pour partager leurs pistes, s'entraîner et rencontrer des recruteurs invités."},
	{"preparer-sa-candidature--developper-son-reseau", "Parrainage vers l'emploi", "accompagnement", "gratuit",
		"Un parrain ou une marraine en activité vous accompagne pendant six mois : conseils, ouverture de son carnet d'adresses, préparation aux entretiens."},
	{"preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi", "Accompagnement intensif vers l'emploi", "accompagnement", "gratuit",
		"Un conseiller référent vous suit de façon rapprochée pendant plusieurs mois pour structurer votre recherche, cibler les employeurs et décrocher un contrat."},
	{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", "Atelier CV et lettre de motivation", "atelier", "gratuit",
		"Repartez avec un CV clair et une lettre de motivation adaptée au poste que vous visez, réalisés avec l'aide d'un conseiller."},
	{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", "Permanence CV sans rendez-vous", "accompagnement", "gratuit",
		"Venez avec votre CV, même incomplet : un bénévole issu du monde de l'entreprise le relit avec vous et vous aide à le mettre en valeur."},
	{"preparer-sa-candidature--valoriser-ses-competences", "Valoriser son expérience et préparer une VAE", "accompagnement", "gratuit",
		"La validation des acquis de l'expérience permet d'obtenir un diplôme grâce à votre expérience. Nous vous aidons à choisir la certification et à préparer votre dossier."},

	// remobilisation
	{"remobilisation--activites-sportives-et-culturelles", "Sorties culturelles et sportives", "atelier", "gratuit",
		"Théâtre, cinéma, randonnée, piscine : des sorties collectives régulières pour se faire plaisir, reprendre un rythme et rencontrer d'autres personnes."},
	{"remobilisation--benevolat-action-citoyenne", "S'engager comme bénévole", "information", "gratuit",
		"Nous vous présentons les associations qui cherchent des bénévoles près de chez vous et vous aidons à trouver une mission qui vous ressemble."},
	{"remobilisation--benevolat-action-citoyenne", "Service civique", "accompagnement", "gratuit",
		"Les jeunes de 16 à 25 ans (30 ans en situation de handicap) peuvent s'engager de 6 à 12 mois dans une mission d'intérêt général indemnisée."},
	{"remobilisation--bien-etre-confiance-en-soi", "Atelier estime de soi", "atelier", "gratuit",
		"Un parcours en plusieurs séances pour reprendre confiance, mieux communiquer et prendre soin de soi, animé par une socio-esthéticienne et une coach."},
	{"remobilisation--lien-social", "Café rencontre et ateliers conviviaux", "atelier", "gratuit",
		"Un lieu ouvert à tous pour partager un café, participer à un atelier cuisine, couture ou jardinage et rompre l'isolement."},
	{"remobilisation--lien-social", "Jardin partagé", "atelier", "gratuit",
		"Cultivez une parcelle du jardin partagé, apprenez les techniques du potager et partagez les récoltes avec les autres jardiniers."},

	// sante
	{"sante--acces-aux-soins", "Permanence d'accès aux soins de santé", "accompagnement", "gratuit",
		"Sans couverture maladie ou sans médecin traitant ? Nous vous recevons pour une consultation et vous aidons à ouvrir vos droits à l'assurance maladie et à la complémentaire santé solidaire."},
	{"sante--acces-aux-soins", "Bilan de santé gratuit", "accompagnement", "gratuit",
		"Un examen de prévention en santé complet et gratuit, avec un médecin, une infirmière et un dentiste, pour faire le point sur votre santé."},
	{"sante--addictions", "Consultations en addictologie", "accompagnement", "gratuit",
		"Alcool, tabac, cannabis, jeux : une équipe de médecins, psychologues et éducateurs vous accompagne, de façon anonyme et gratuite, vous ou votre entourage."},
	{"sante--addictions", "Réduction des risques pour usagers de drogues", "aide-materielle", "gratuit",
		"Accueil anonyme, matériel de réduction des risques, dépistages et accompagnement vers les soins, sans jugement."},
	{"sante--constituer-un-dossier-mdph-invalidite", "Aide au dossier MDPH", "accompagnement", "gratuit",
		"Reconnaissance de la qualité de travailleur handicapé, AAH, carte mobilité inclusion : nous vous aidons à remplir le formulaire et à réunir les pièces justificatives."},
	{"sante--sante-mentale", "Consultations psychologiques gratuites", "accompagnement", "gratuit",
		"Des psychologues vous reçoivent gratuitement pour quelques séances si vous traversez une période difficile : stress, isolement, perte d'emploi, deuil."},
	{"sante--sante-mentale", "Groupe d'entraide mutuelle", "atelier", "gratuit",
		"Un lieu convivial géré par et pour des personnes concernées par des troubles psychiques, pour partager des activités et s'entraider."},
	{"sante--sante-sexuelle", "Dépistage et information en santé sexuelle", "information", "gratuit",
		"Dépistage gratuit du VIH, des hépatites et des infections sexuellement transmissibles, contraception et information, de façon confidentielle."},

	// se-former
	{"se-former--trouver-sa-formation", "Information sur les formations qualifiantes", "information", "gratuit",
		"Nous vous présentons les formations qualifiantes financées par la Région et France Travail dans votre secteur, ainsi que les conditions d'entrée."},
	{"se-former--trouver-sa-formation", "Formation préqualifiante aux métiers en tension", "formation", "gratuit",
		"Une formation de quelques semaines pour découvrir un métier, acquérir les bases et préparer l'entrée en formation qualifiante ou en emploi."},
	{"se-former--monter-son-dossier-de-formation", "Aide au montage du dossier de formation", "accompagnement", "gratuit",
		"Compte personnel de formation, aide individuelle à la formation, rémunération pendant le stage : nous vous aidons à trouver et à obtenir les financements."},

	// souvrir-a-linternational
	{"souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger", "Information sur l'emploi en Europe", "information", "gratuit",
		"Vous souhaitez travailler dans un autre pays ? Nous vous présentons le réseau EURES, les offres d'emploi en Europe et les démarches à prévoir."},
	{"souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger", "Mobilité internationale des jeunes", "information", "gratuit",
		"Volontariat, stage, chantier de jeunes, séjour linguistique : découvrez les programmes et les bourses qui financent une expérience à l'étranger."},
	{"souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france", "Accueil des Français de retour de l'étranger", "accompagnement", "gratuit",
		"Sécurité sociale, inscription à France Travail, logement, scolarité des enfants : nous vous aidons à organiser votre réinstallation en France."},

	// trouver-un-emploi
	{"trouver-un-emploi--convaincre-un-recruteur-en-entretien", "Simulation d'entretien d'embauche", "atelier", "gratuit",
		"Entraînez-vous face à un recruteur bénévole, en conditions réelles, et recevez des conseils précis sur votre présentation et vos réponses."},
	{"trouver-un-emploi--faire-des-candidatures-spontanees", "Atelier candidatures spontanées", "atelier", "gratuit",
		"Repérer les entreprises qui recrutent sans publier d'offres, les contacter par téléphone ou sur place et se faire remarquer : méthodes et mise en pratique."},
	{"trouver-un-emploi--maintien-dans-lemploi", "Maintien dans l'emploi des salariés handicapés", "accompagnement", "gratuit",
		"Aménagement de poste, adaptation des horaires, reclassement : nous accompagnons le salarié et l'employeur pour éviter une perte d'emploi liée à la santé ou au handicap."},
	{"trouver-un-emploi--maintien-dans-lemploi", "Contrat à durée déterminée d'insertion", "accompagnement", "gratuit",
		"Un contrat de travail de 4 à 24 mois, avec un accompagnement social et professionnel, pour reprendre une activité et construire la suite de votre parcours."},
	{"trouver-un-emploi--repondre-a-des-offres-demploi", "Job dating et forum de recrutement", "information", "gratuit",
		"Rencontrez en une matinée plusieurs employeurs qui recrutent : venez avec votre CV, les entretiens se font sur place."},
	{"trouver-un-emploi--repondre-a-des-offres-demploi", "Missions de travail temporaire d'insertion", "accompagnement", "gratuit",
		"Nous vous proposons des missions d'intérim chez nos entreprises clientes, avec un accompagnement pour construire votre parcours professionnel."},
	{"trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs", "Atelier « Suivre et relancer ses candidatures »", "atelier", "gratuit",
		"Tenir un tableau de suivi, relancer un employeur sans le lasser, tirer les leçons d'un refus : des outils simples pour garder le cap."},
}

// categoryText holds what descriptions say for a whole category: the list
// items and the publics the services usually address.
type categoryText struct {
	bullets []string
	publics []string
}

var categories = map[string]categoryText{
	"choisir-un-metier": {
		bullets: []string{
			"un entretien individuel pour faire le point sur votre parcours",
			"des immersions en entreprise pour tester un métier",
			"des rencontres avec des professionnels du secteur",
			"un point sur les métiers qui recrutent près de chez vous",
			"un suivi jusqu'à la validation de votre projet",
		},
		publics: []string{"jeunes", "demandeurs-emploi", "actifs", "etudiants", "personnes-en-situation-de-handicap"},
	},
	"creer-une-entreprise": {
		bullets: []string{
			"un premier rendez-vous pour évaluer votre idée",
			"l'étude de marché et le prévisionnel financier",
			"le choix du statut juridique",
			"la recherche de financements (prêts d'honneur, microcrédit, aides)",
			"un suivi pendant les premières années d'activité",
		},
		publics: []string{"demandeurs-emploi", "beneficiaires-des-minimas-sociaux", "femmes", "jeunes", "residents-qpv-frr", "actifs"},
	},
	"difficultes-administratives-ou-juridiques": {
		bullets: []string{
			"une aide pour comprendre vos courriers",
			"la constitution de vos dossiers et la vérification des pièces",
			"un accompagnement jusqu'à la réponse de l'administration",
			"une orientation vers le bon interlocuteur",
			"un accueil confidentiel, en français simple ou avec un interprète",
		},
		publics: []string{"personnes-exilees", "personnes-en-situation-juridique-specifique", "seniors", "beneficiaires-des-minimas-sociaux", "femmes", "familles"},
	},
	"difficultes-financieres": {
		bullets: []string{
			"un diagnostic de votre budget",
			"des conseils pour réduire vos charges",
			"une aide à la négociation avec vos créanciers",
			"l'accès aux aides financières existantes",
			"un suivi dans la durée si vous le souhaitez",
		},
		publics: []string{"familles", "beneficiaires-des-minimas-sociaux", "seniors", "actifs", "personnes-en-situation-durgence"},
	},
	"equipement-et-alimentation": {
		bullets: []string{
			"des produits de qualité à prix solidaire",
			"un accueil par des bénévoles formés",
			"des conseils pour cuisiner et consommer malin",
			"une orientation vers les autres aides du territoire",
		},
		publics: []string{"familles", "beneficiaires-des-minimas-sociaux", "personnes-en-situation-durgence", "etudiants", "seniors"},
	},
	"famille": {
		bullets: []string{
			"un accueil bienveillant et confidentiel",
			"des professionnels de la petite enfance et de la famille",
			"des solutions adaptées à vos horaires",
			"une orientation vers les autres services utiles à votre famille",
		},
		publics: []string{"familles", "femmes", "seniors", "demandeurs-emploi", "personnes-en-situation-de-handicap"},
	},
	"lecture-ecriture-calcul": {
		bullets: []string{
			"un test de positionnement pour partir de votre niveau",
			"des groupes de six à dix personnes",
			"des exercices tirés de situations de la vie courante",
			"une attestation de formation à la fin du parcours",
		},
		publics: []string{"personnes-exilees", "demandeurs-emploi", "actifs", "beneficiaires-des-minimas-sociaux"},
	},
	"logement-hebergement": {
		bullets: []string{
			"un diagnostic de votre situation de logement",
			"une aide pour constituer vos dossiers",
			"la mobilisation des aides financières (FSL, Action Logement, Visale)",
			"un lien avec les bailleurs et les services sociaux",
		},
		publics: []string{"personnes-en-situation-durgence", "jeunes", "familles", "beneficiaires-des-minimas-sociaux", "seniors", "personnes-exilees"},
	},
	"mobilite": {
		bullets: []string{
			"un diagnostic de vos besoins de déplacement",
			"des solutions de transport adaptées à vos horaires",
			"un tarif calculé selon vos ressources",
			"un lien avec votre conseiller emploi ou votre référent social",
		},
		publics: []string{"demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux", "residents-qpv-frr", "actifs"},
	},
	"numerique": {
		bullets: []string{
			"un accueil par un conseiller numérique",
			"des séances adaptées aux débutants",
			"l'utilisation de votre propre matériel ou de nos équipements",
			"la sécurité de vos données et de vos comptes en ligne",
		},
		publics: []string{"seniors", "demandeurs-emploi", "beneficiaires-des-minimas-sociaux", "personnes-exilees", "residents-qpv-frr"},
	},
	"preparer-sa-candidature": {
		bullets: []string{
			"un travail sur votre CV et vos lettres de motivation",
			"la préparation aux entretiens",
			"l'utilisation des sites d'offres d'emploi",
			"des mises en relation avec des employeurs",
		},
		publics: []string{"demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux", "personnes-en-situation-de-handicap", "residents-qpv-frr"},
	},
	"remobilisation": {
		bullets: []string{
			"des activités collectives régulières",
			"un cadre bienveillant et sans jugement",
			"des rencontres avec d'autres habitants",
			"un accompagnement vers d'autres projets quand vous êtes prêt",
		},
		publics: []string{"jeunes", "seniors", "beneficiaires-des-minimas-sociaux", "personnes-en-situation-de-handicap", "residents-qpv-frr"},
	},
	"sante": {
		bullets: []string{
			"un accueil confidentiel par des professionnels de santé",
			"une aide pour ouvrir ou mettre à jour vos droits",
			"une orientation vers les soins adaptés",
			"un suivi coordonné avec votre médecin si vous le souhaitez",
		},
		publics: []string{"personnes-en-situation-de-handicap", "personnes-en-situation-durgence", "jeunes", "beneficiaires-des-minimas-sociaux", "seniors"},
	},
	"se-former": {
		bullets: []string{
			"une information sur les formations financées",
			"une aide au choix de l'organisme de formation",
			"le montage du dossier de financement",
			"un suivi pendant la formation",
		},
		publics: []string{"demandeurs-emploi", "jeunes", "actifs", "personnes-en-situation-de-handicap", "etudiants"},
	},
	"souvrir-a-linternational": {
		bullets: []string{
			"une information sur les programmes de mobilité",
			"une aide pour préparer votre départ",
			"des contacts avec des structures à l'étranger",
			"un point sur vos droits sociaux à l'étranger",
		},
		publics: []string{"jeunes", "demandeurs-emploi", "etudiants", "actifs"},
	},
	"trouver-un-emploi": {
		bullets: []string{
			"un accompagnement individuel par un conseiller",
			"des offres d'emploi adaptées à votre profil",
			"la préparation des entretiens",
			"un suivi pendant les premiers mois en emploi",
		},
		publics: []string{"demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux", "personnes-en-situation-de-handicap", "seniors", "residents-qpv-frr"},
	},
}

// Headings introduce the list of a description.
var listHeadings = []string{
	"Ce que nous vous proposons :",
	"Concrètement :",
	"Au programme :",
	"Le service comprend :",
}

// mobilisationSentences close a description, one per mode of mobilisation.
var mobilisationSentences = map[string]string{
	"se-presenter":               "Vous pouvez vous présenter pendant les horaires d'accueil, sans rendez-vous.",
	"telephoner":                 "Appelez-nous pour convenir d'un premier rendez-vous.",
	"envoyer-un-courriel":        "Vous pouvez aussi nous écrire : nous vous répondons sous deux jours ouvrés.",
	"utiliser-lien-mobilisation": "L'inscription se fait en ligne, par le lien indiqué sur cette fiche.",
}

const professionalsSentence = "Les professionnels peuvent orienter une personne en nous transmettant une fiche de liaison."

var publicsDetails = []string{
	"Jeunes de 16 à 25 ans sortis du système scolaire.",
	"Personnes inscrites à France Travail depuis plus d'un an.",
	"Bénéficiaires du RSA accompagnés par le Département.",
	"Habitants de la commune et des communes voisines.",
	"Parents isolés avec au moins un enfant de moins de six ans.",
	"Personnes de plus de 60 ans vivant à domicile.",
}

var accessConditions = []string{
	"Sur orientation d'un travailleur social ou d'un conseiller emploi.",
	"Présenter une pièce d'identité et un justificatif de domicile.",
	"Avoir un projet professionnel validé par votre conseiller.",
	"Être inscrit à France Travail ou suivi par la Mission locale.",
	"Un entretien préalable permet de vérifier que le service répond à votre besoin.",
}

var mobilisationDetails = []string{
	"Premier rendez-vous sous une semaine.",
	"Fiche de liaison à télécharger sur notre site et à renvoyer par courriel.",
	"Merci de préciser dans votre message votre commune et vos disponibilités.",
	"Les inscriptions sont ouvertes toute l'année, par sessions de dix personnes.",
}

var feesDetails = []string{
	"Participation calculée selon le quotient familial.",
	"Adhésion annuelle de 10 euros.",
	"Tarif solidaire : 2 euros par jour de location.",
	"Environ 20 % du prix habituel des produits.",
	"Gratuit pour les bénéficiaires du RSA, 5 euros par séance pour les autres.",
}
