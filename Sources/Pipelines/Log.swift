import Logging

/// The logger pipelines write to (standard error, as the command-line tool configures it).
let log = Logger(label: "workbench")
