# Schemathesis frames its sections and its closing line in pytest's style ("==== 1 warning in 48.9s ===="),
# which a reader of CI output takes for a pytest run that executed no test. scripts/schemathesis.sh pipes its
# output through this (sed -E -f) to make the frames plain text; the counts that matter are in the JUnit
# reports and CI's closing tally.
s/^=+ (.*) in ([0-9.]+)s =+$/schemathesis finished after \2 s: \1/
s/^=+ (.*[^ ]) =+$/-- \1 --/
