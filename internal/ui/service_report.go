package ui

import (
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// reportPage is the "Signaler une erreur" form of a service page.
type reportPage struct {
	Layout
	Name       string
	ServiceURL string
	Action     string
	Errors     []Link
	Message    string
	Reasons    choiceGroup
	Comment    input
	Email      input
}

var reportLabels = directory.Fields{
	{Name: "motifs", Label: "Ce qui est erroné"},
	{Name: "commentaire", Label: "Précisions"},
	{Name: "email", Label: "Votre adresse électronique"},
}

func (s *Server) reportPage(c *fiber.Ctx, svc *directory.Service, v url.Values, err error) reportPage {
	f := newFields(v, err)
	p := reportPage{Name: svc.Name, ServiceURL: serviceURL(svc.ID, svc.Name)}
	p.Action = p.ServiceURL + "/signaler"
	p.Layout = s.layout(c, "Signaler une erreur : "+svc.Name, "")
	p.Canonical, p.NoIndex, p.CSRF = "", true, s.csrfToken(c)
	p.Reasons = choiceGroup{ID: fieldID("motifs"), Name: "motifs", Legend: reportLabels.Label("motifs"),
		Hint: "Cochez tout ce qui ne correspond plus à la réalité.", Error: f.errs["motifs"],
		Choices: f.choices("motifs", account.ReportReasons, false)}
	p.Comment = f.textarea("commentaire", reportLabels.Label("commentaire"),
		"Par exemple le bon numéro de téléphone, ou depuis quand le service est fermé. Obligatoire avec « Autre erreur » ; 2 000 caractères au plus.", 5)
	p.Email = f.input("email", "email", reportLabels.Label("email")+" (facultatif)",
		"Seulement si vous acceptez que la structure vous réponde. Format attendu : nom@domaine.fr.")
	p.Email.Autocomplete = "email"
	p.Errors = errorSummary(reportLabels, f.errs)
	p.Breadcrumb = crumbs(Link{Label: svc.Name, URL: p.ServiceURL}, Link{Label: "Signaler une erreur"})
	return p
}

// serviceReportForm shows the form that reports an error on a service page.
func (s *Server) serviceReportForm(c *fiber.Ctx) error {
	svc, err := s.reportedService(c)
	if err != nil {
		return err
	}
	return c.Render("signaler", s.reportPage(c, svc, url.Values{}, nil))
}

// serviceReportSubmit mails the report to the structure's members and the
// territory's moderators.
func (s *Server) serviceReportSubmit(c *fiber.Ctx) error {
	svc, err := s.reportedService(c)
	if err != nil {
		return err
	}
	v := s.form(c)
	target := account.ReportedService{ID: svc.ID, Name: svc.Name, URL: s.baseURL + serviceURL(svc.ID, svc.Name),
		StructureID: svc.StructureID, Departement: directory.DepartementOfCommune(svc.CodeInsee)}
	if st, err := s.Accounts.Structure(c.UserContext(), svc.StructureID); err == nil {
		target.StructureName = st.Name
	}
	_, err = s.Accounts.ReportError(c.UserContext(), target,
		account.ReportForm{Reasons: v["motifs"], Comment: v.Get("commentaire"), Email: v.Get("email")},
		s.client(c), s.Site.ContactEmail)
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "signaler", s.reportPage(c, svc, v, err))
	case directory.ErrorCode(err) == directory.EFORBIDDEN:
		p := s.reportPage(c, svc, v, nil)
		p.Message = directory.ErrorMessage(err)
		return renderForm(c, http.StatusTooManyRequests, "signaler", p)
	case err != nil:
		return err
	}
	return s.message(c, http.StatusOK, "success", "Merci, votre signalement est envoyé", []string{
		"Il a été transmis à la structure qui propose « " + svc.Name + " » et aux gestionnaires de son territoire, qui corrigeront la fiche.",
	}, Link{Label: "Revenir au service", URL: serviceURL(svc.ID, svc.Name)})
}

// reportedService is the public service of the path, by its reference.
func (s *Server) reportedService(c *fiber.Ctx) (*directory.Service, error) {
	id, _ := splitRef(c.Params("ref"))
	svc, _, err := s.publicService(c, id)
	return svc, err
}
