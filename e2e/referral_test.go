package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The Aktobe coordinator (Russian) screens Dinara, which flags the case; its page leads
// her to the safety plan, which she writes with her; then she refers her to the crisis
// centre of the directory, at her choice, after a referral to another Birge centre is
// refused by its field for want of Dinara's consent. Every screen passes axe.
func TestSafetyPlanAndReferral(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example"
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))
	kase := p.firstLink("/cases", `^/cases/[0-9]+$`)
	p.open(kase)
	p.open(js[string](p, `document.querySelector('main a[href*="/screen?person_id="]').getAttribute("href")`))
	p.do("alone", chromedp.Click(chromedp.CSS(`input[name="alone"]`)))
	js[bool](p, `document.querySelectorAll('main input[value="no"]').forEach(i => i.checked = true); true`)
	p.do("hitting", chromedp.Click(chromedp.CSS(`input[name="q_hitting"][value="yes"]`)))
	p.choose("f-fear", "5")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the screening: status %d\n%s", resp.Status, p.body())
	}
	if got := p.text("#safety"); !strings.Contains(got, ru.T("safety_plan.heading")) {
		t.Fatalf("the flagged case does not lead to the safety plan:\n%s", p.text("main"))
	}
	p.axe("a flagged case, leading to the safety plan")

	p.open(js[string](p, `document.querySelector('#safety a[href*="/safety-plan?person_id="]').getAttribute("href")`))
	p.axe("the safety plan")
	p.typeInto("f-safe_contacts", "Сестра Айгуль, звонить после 18:00")
	p.typeInto("f-safe_place", "У сестры в Каргалы")
	p.typeInto("f-code_word", "ромашка")
	p.typeInto("f-documents_money", "Копии паспортов и 20 000 ₸ у сестры")
	p.typeInto("f-children_safety", "Аружан забирает из школы бабушка")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the plan: status %d\n%s", resp.Status, p.body())
	}
	if got := p.text("#safety"); !strings.Contains(got, ru.T("safety_plan.written")) {
		t.Errorf("the case does not say the plan is written:\n%s", got)
	}

	p.open(js[string](p, `document.querySelector('#safety a[href^="/referrals/new"]').getAttribute("href")`))
	p.axe("a new referral")
	kargaly := js[string](p, `[...document.querySelectorAll('#f-to_center_id option')].find(o => o.text.includes("Каргал")).value`)
	p.choose("f-to_center_id", kargaly)
	p.typeInto("f-note", "Нужна консультация юриста по разделу имущества")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a Birge centre without her consent: status %d", resp.Status)
	}
	if got := p.text("#e-to_center_id"); got != ru.T("referral.no_consent") {
		t.Errorf("the refusal beside the field says %q", got)
	}
	p.axe("a referral refused for want of consent")
	p.choose("f-to_center_id", "")
	crisis := js[string](p, `[...document.querySelectorAll('#f-service_id option')].find(o => o.text.includes("Шаңырақ")).value`)
	p.choose("f-service_id", crisis)
	p.do("her choice", chromedp.Click(chromedp.CSS(`input[name="chosen_by_her"]`)))
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("to the crisis centre: status %d\n%s", resp.Status, p.body())
	}
	if got := p.text("main"); !strings.Contains(got, "Шаңырақ") || !strings.Contains(got, ru.T("referral.her_choice")) ||
		!strings.Contains(got, ru.T("referral.status.sent")) {
		t.Errorf("the case does not show the referral:\n%s", got)
	}
	p.axe("a case with its referral")
	p.open("/referrals")
	if got := p.text("main"); !strings.Contains(got, "Шаңырақ") {
		t.Errorf("the referral is not on the list:\n%s", got)
	}
	p.axe("the referrals")
	p.open(js[string](p, `document.querySelector('main a[href$="/edit"][href^="/referrals/"]').getAttribute("href")`))
	p.axe("a referral's follow-up")
}
