"""The pages: the view registry and the views, ```partnerbook blocks, the generated pages,
paging, the workshop sheets and the templates' environment."""
