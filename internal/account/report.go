package account

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
)

// ReportReasons are what a visitor may say is wrong with a service page.
var ReportReasons = []directory.Term{
	{Value: "coordonnees", Label: "Coordonnées erronées (téléphone, adresse, courriel)"},
	{Value: "ferme", Label: "Le service n’existe plus ou est fermé"},
	{Value: "horaires", Label: "Horaires erronés"},
	{Value: "zone", Label: "Zone desservie erronée"},
	{Value: "autre", Label: "Autre erreur"},
}

// reasonLabel is the label of a reason, "" when unknown.
func reasonLabel(v string) string {
	for _, t := range ReportReasons {
		if t.Value == v {
			return t.Label
		}
	}
	return ""
}

// ReportForm is a "Signaler une erreur" form.
type ReportForm struct {
	Reasons []string // "motifs"
	Comment string   // "commentaire": required with "autre"
	Email   string   // "email": optional, to be answered
}

// ReportedService is the service a report is about, as the page showed it.
type ReportedService struct {
	ID, Name, URL string
	StructureID   string
	StructureName string
	Departement   string // of the service's commune; "" when unknown
}

// Report limits: a person (an address) reports at most reportIPLimit times
// an hour, a service receives at most reportServiceLimit reports a day, so
// that the form cannot flood the inboxes of a structure or a moderator.
const (
	reportIPLimit      = 5
	reportServiceLimit = 20
	maxReportLen       = 2000
)

// ReportError sends a visitor's report on a service to the members of its
// structure and to the moderators of its département, or to fallback (the
// site's contact address) when nobody else would read it. It returns how
// many people it was sent to. Errors: EINVALID (motifs, commentaire, email),
// EFORBIDDEN (too many reports: wait).
func (a *Accounts) ReportError(ctx context.Context, svc ReportedService, f ReportForm, c Client, fallback string) (int, error) {
	fe := directory.FieldErrors{}
	var reasons []string
	for _, r := range f.Reasons {
		if reasonLabel(r) == "" {
			fe.Add("motifs", "Motif inconnu : choisissez dans la liste.")
			break
		}
		reasons = appendOnce(reasons, r)
	}
	if len(f.Reasons) == 0 {
		fe.Add("motifs", "Choisissez au moins un motif.")
	}
	f.Comment = strings.TrimSpace(f.Comment)
	switch {
	case slices.Contains(reasons, "autre") && f.Comment == "":
		fe.Add("commentaire", "Décrivez l’erreur en quelques mots.")
	case utf8.RuneCountInString(f.Comment) > maxReportLen:
		fe.Add("commentaire", "Le commentaire doit comporter au plus 2 000 caractères.")
	}
	if f.Email = strings.TrimSpace(f.Email); f.Email != "" {
		email, err := directory.NormalizeEmail(f.Email)
		if err != nil {
			fe.Add("email", "Adresse électronique invalide. Format attendu : nom@domaine.fr.")
		}
		f.Email = email
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	if !a.allow(ctx, "report:"+ipKey(c.IP), reportIPLimit, time.Hour) ||
		!a.allow(ctx, "report-service:"+svc.ID, reportServiceLimit, 24*time.Hour) {
		return 0, directory.Errorf(directory.EFORBIDDEN,
			"Trop de signalements ont été envoyés depuis votre connexion ou sur ce service. Réessayez dans une heure, ou écrivez directement à la structure.")
	}
	to, err := a.reportRecipients(ctx, svc)
	if err != nil {
		return 0, err
	}
	if len(to) == 0 && fallback != "" {
		to = []string{fallback}
	}
	for _, addr := range to {
		a.send(ctx, reportMail(addr, svc, reasons, f.Comment, f.Email))
	}
	return len(to), nil
}

// reportRecipients are the members of the service's structure and the
// moderators of its département, each address once.
func (a *Accounts) reportRecipients(ctx context.Context, svc ReportedService) ([]string, error) {
	var to []string
	dep := svc.Departement
	if svc.StructureID != "" {
		sa, err := a.store.StructureAccount(ctx, svc.StructureID)
		switch {
		case err == nil:
			for _, m := range sa.Members {
				to = appendOnce(to, m.Email)
			}
			if dep == "" {
				dep = sa.Departement
			}
		case directory.ErrorCode(err) != directory.ENOTFOUND: // imported structures have no account
			return nil, err
		}
	}
	if dep == "" {
		return to, nil
	}
	ids, err := a.store.List(ctx, moderatorsList)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		u, err := a.store.User(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if slices.Contains(u.ModeratorOf, dep) {
			to = appendOnce(to, u.Email)
		}
	}
	return to, nil
}

func reportMail(to string, svc ReportedService, reasons []string, comment, from string) mail.Message {
	var b strings.Builder
	b.WriteString(hello(""))
	b.WriteString("Une personne a signalé une erreur sur la fiche « " + svc.Name + " »")
	if svc.StructureName != "" {
		b.WriteString(", proposée par " + svc.StructureName)
	}
	b.WriteString(" :\n\n" + svc.URL + "\n\nMotifs :\n")
	for _, r := range reasons {
		b.WriteString("- " + reasonLabel(r) + "\n")
	}
	if comment != "" {
		b.WriteString("\nCommentaire :\n" + comment + "\n")
	}
	if from != "" {
		b.WriteString("\nLa personne accepte d’être recontactée à cette adresse : " + from + "\n")
	} else {
		b.WriteString("\nLa personne n’a pas laissé d’adresse.\n")
	}
	b.WriteString("\nVous recevez ce message comme membre de la structure ou gestionnaire du territoire. Si l’information est erronée, corrigez la fiche depuis votre espace Repère.")
	return mail.Message{To: to, Subject: "Erreur signalée : " + directory.Shorten(svc.Name, 80), Text: b.String() + signature}
}
