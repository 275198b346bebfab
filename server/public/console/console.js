// entry pages: filled in below
