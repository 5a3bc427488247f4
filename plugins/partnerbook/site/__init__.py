"""The generated site: views (components), embedded blocks, pages, paging, workshop sheets, templating."""
