# The R half of scripts/agreement-golden.py: reads one case a line on stdin
# and prints, a line each, "value low high" as R's psych and stats give them.
#   icc a1 b1 a2 b2 ...   psych::ICC, ICC2 (single random raters), ANOVA mean squares
#   kappa x1 y1 x2 y2 ... psych::cohen.kappa, unweighted, calls as 0 or 1
#   prop x n              prop.test(x, n, correct = FALSE): Wilson's interval
#   qf p df1 df2          qf(p, df1, df2) (value only)
#   pf f df1 df2          pf(f, df1, df2) (value only)
# An error (too few cases for the method) prints NA NA NA.
suppressPackageStartupMessages(library(psych))

icc <- function(numbers) {
  counts <- matrix(numbers, ncol = 2, byrow = TRUE)
  # lmer = FALSE: the two-way ANOVA mean squares of Shrout & Fleiss and McGraw & Wong.
  row <- ICC(counts, lmer = FALSE)$results["Single_random_raters", ]
  c(row$ICC, row$`lower bound`, row$`upper bound`)
}

kappa <- function(numbers) {
  calls <- matrix(numbers, ncol = 2, byrow = TRUE)
  # Given as its 2 x 2 table: cohen.kappa takes two rows of data for a table.
  agreement <- table(factor(calls[, 1], levels = c(1, 0)), factor(calls[, 2], levels = c(1, 0)))
  bounds <- cohen.kappa(unclass(agreement))$confid["unweighted kappa", ]
  c(bounds[["estimate"]], bounds[["lower"]], bounds[["upper"]])
}

wilson <- function(numbers) {
  test <- prop.test(numbers[1], numbers[2], correct = FALSE)
  c(test$estimate[[1]], test$conf.int[1], test$conf.int[2])
}

quantile_f <- function(numbers) c(qf(numbers[1], numbers[2], numbers[3]), NA, NA)
distribution_f <- function(numbers) c(pf(numbers[1], numbers[2], numbers[3]), NA, NA)

methods <- list(icc = icc, kappa = kappa, prop = wilson, qf = quantile_f, pf = distribution_f)
stdin <- file("stdin")
for (line in readLines(stdin)) {
  words <- strsplit(line, " ", fixed = TRUE)[[1]]
  answer <- tryCatch(suppressWarnings(suppressMessages(methods[[words[1]]](as.numeric(words[-1])))), error = function(e) c(NA, NA, NA))
  cat(sprintf("%.17g", answer), "\n")
}
close(stdin)
