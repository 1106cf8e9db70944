// Placeholder: the tokio layer lands with the runtime issue.
namespace tokio { int placeholder_symbol = 0; }
