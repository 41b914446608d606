"""The generic page layer every model's pages stand on, in the manner of NetBox's
`ObjectListView`/`ObjectEditView`/`ObjectDeleteView`.

A model declares only what is its own: its columns once (`columnas.Columna`: the table,
the Excel export and the column chooser come from them), its queryset, filter form, form
and services; `vistas` draws the list (filters, table, paging, page size, export, bulk
actions, "Configurar tabla"), the detail frame, the edit and the delete pages with one
template each (`templates/paginas/`).

It is a Django app of its own (label `paginas`) only for the one table it owns: each
user's choice of columns per list (`PreferenciaTabla`).
"""
