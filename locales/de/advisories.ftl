# UI-Texte für Sicherheitshinweise, Deutsch.
adv-feed-title = { $title }: Feed
adv-feed-summary = Version { $version }, Schweregrad { $severity } (CVSS { $score })
adv-severity-none = Keiner
adv-severity-low = Niedrig
adv-severity-medium = Mittel
adv-severity-high = Hoch
adv-severity-critical = Kritisch
