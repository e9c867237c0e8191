from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("programs/<int:pk>/", views.program_finance, name="program"),
    path("programs/<int:pk>/funding/new/", views.add_funding_line, name="add_funding"),
    path("programs/<int:pk>/budget/", views.program_budget, name="budget"),
    path("programs/<int:pk>/budget/new/", views.add_budget_line, name="add_budget_line"),
    path("programs/<int:pk>/cost-defaults/", views.cost_defaults, name="cost_defaults"),
    path("programs/<int:pk>/ledger/", views.program_ledger, name="program_ledger"),
    path("programs/<int:pk>/signed-not-invoiced/", views.signed_not_invoiced, name="uninvoiced"),
    path("programs/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("programs/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("budget-lines/<int:pk>/expenses/new/", views.add_expense, name="add_expense"),
    path("cycles/<int:pk>/fees/", views.fee_schedule, name="fees"),
    path("cycles/<int:pk>/fees/generate/", views.generate_fees, name="generate_fees"),
    path("invoices/", views.InvoiceList.as_view(), name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/issue/", views.issue, name="issue"),
    path("invoices/<int:pk>/payment/", views.record_payment, name="payment"),
    path("invoices/<int:pk>/credit/", views.credit, name="credit"),
    path("invoices/<int:pk>/<slug:action>/", views.close_invoice, name="close"),
    path("organisations/<int:pk>/ledger/", views.organization_ledger, name="ledger"),
    path("organisations/<int:pk>/billing/", views.billing, name="billing"),
    path("organisations/<int:pk>/export.csv", views.org_export_csv, name="org_export_csv"),
    path("organisations/<int:pk>/export.xlsx", views.org_export_xlsx, name="org_export_xlsx"),
    path("placements/<int:pk>/costs/", views.arrangement, name="arrangement"),
    path("placements/<int:pk>/costs/invoices/", views.generate_costs, name="generate_costs"),
    path("nominations/<int:pk>/backfill/", views.backfill, name="backfill"),
    path("backfill/<int:pk>/next/", views.add_link, name="add_link"),
]
