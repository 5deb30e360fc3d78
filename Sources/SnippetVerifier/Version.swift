// The package's version, as `verify-snippets --version` prints it.

/// The release this source is: the git tag a dependent names in `.package(url:from:)`.
public let verifySnippetsVersion = "0.17.0"
