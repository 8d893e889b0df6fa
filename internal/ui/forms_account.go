package ui

import (
	"net/url"
	"strings"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// The commands of the account forms, read field by field by their exact
// names: anything else posted (statut, version, Version, structure_id,
// role, platform_admin…) is never read.

func loginCommand(v url.Values) account.LoginForm {
	return account.LoginForm{Email: v.Get("email"), Password: v.Get("mot_de_passe")}
}

func signUpCommand(v url.Values) account.SignUpForm {
	return account.SignUpForm{Email: v.Get("email"), Name: v.Get("nom"), Password: v.Get("mot_de_passe")}
}

func passwordCommand(v url.Values) account.PasswordForm {
	return account.PasswordForm{Current: v.Get("mot_de_passe_actuel"), New: v.Get("nouveau_mot_de_passe")}
}

func profileCommand(v url.Values) account.ProfileForm { return account.ProfileForm{Name: v.Get("nom")} }

func reviewCommand(v url.Values) account.ReviewForm {
	return account.ReviewForm{Decision: directory.Moderation(v.Get("decision")), Note: v.Get("note")}
}

func structureCommand(v url.Values) account.StructureForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return account.StructureForm{
		Name: g("nom"), SIRET: g("siret"), Description: v.Get("description"), Address: g("adresse"),
		AddressComplement: g("complement_adresse"), PostalCode: g("code_postal"), CodeInsee: g("code_insee"),
		CommuneName: g("commune"), Phone: g("telephone"), Email: g("courriel"), Website: g("site_web"),
		AccessibilityLink: g("accessibilite_lieu"), OpeningHours: g("horaires_accueil"), Networks: v["reseaux_porteurs"],
	}
}
