// Placeholder: the mio layer lands with the reactor issue.
namespace tokio::mio { int placeholder_symbol = 0; }
