"""What both read paths, resolvers and compiler, share: argument checks, filters, cursors, pages, loaders."""
