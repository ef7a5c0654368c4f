# UI strings for security advisories, English.
adv-feed-title = { $title }: feed
adv-feed-summary = Version { $version }, severity { $severity } (CVSS { $score })
adv-severity-none = None
adv-severity-low = Low
adv-severity-medium = Medium
adv-severity-high = High
adv-severity-critical = Critical
