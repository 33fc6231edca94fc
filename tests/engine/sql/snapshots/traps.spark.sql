WITH `inputs` AS (
  SELECT
    `id`,
    `unit`,
    `task`,
    CAST(`points` AS DECIMAL(38, 0)) AS `points`,
    CAST(`leave` AS DECIMAL(38, 0)) AS `leave`,
    CAST(`bonus` AS DECIMAL(38, 0)) AS `bonus`,
    CAST(`n` AS DECIMAL(38, 0)) AS `n`,
    `note`,
    CAST(`online` AS DECIMAL(38, 0)) AS `online`,
    `active`
  FROM `person`
), `step_1_a` AS (
  SELECT
    *,
    (
      `task` >= 2 AND `points` > 10000000
    )
    AND (
      `leave` IS NULL OR `online` >= 500000
    ) AS `qualified__a`,
    (
      NOT `leave` IS NULL
    ) AND COALESCE(`leave` > 5000000, FALSE) AS `above`,
    `leave` IS NULL AS `absent`,
    CAST(COALESCE(`leave`, `bonus`, 1000000) + COALESCE(`bonus`, 0) AS DECIMAL(38, 0)) AS `both`,
    CAST(CASE WHEN COALESCE(`active`, FALSE) THEN 100 ELSE 225 END AS DECIMAL(38, 0)) AS `branch`,
    `points` * CAST(1000000000000 AS DECIMAL(38, 0)) AS `c1__1`,
    `leave` * 2 AS `c2__1`,
    (
      80585000 + `points`
    ) - `points` AS `c3__1`,
    CAST(LEAST(`points`, 50000000) AS DECIMAL(38, 0)) AS `capped`,
    CAST(CASE
      WHEN `task` = 3
      THEN 3000000
      WHEN `task` = 2
      THEN 2500000
      ELSE COALESCE(`leave`, -1000000)
    END AS DECIMAL(38, 0)) AS `chosen`,
    CAST(CASE
      WHEN `points` < 0
      THEN -(
        CAST((
          (
            -(
              `points`
            ) + 999999
          ) - (
            -(
              `points`
            ) + 999999
          ) % 1000000
        ) / 1000000 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        `points` - `points` % 1000000
      ) / 1000000 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `down`,
    `unit` = 'U3' OR COALESCE(`note`, '') = 'x' AS `early`,
    CAST(COALESCE(`leave`, 0) AS DECIMAL(38, 0)) AS `fallback`,
    `task` = 2 OR `task` = 3 AS `good_or_better`,
    COALESCE(`note`, 'none') AS `label`,
    CAST(LEAST(`points`, COALESCE(`leave`, 0), 3500000) AS DECIMAL(38, 0)) AS `least`,
    (
      COALESCE(`leave`, 1000000)
    ) * CAST(1000000000000 AS DECIMAL(38, 0)) AS `mixed__1`,
    CAST(-CAST(666666666666666667 AS DECIMAL(38, 0)) AS DECIMAL(38, 0)) AS `neg`,
    NOT (
      (
        NOT `leave` IS NULL
      ) AND COALESCE(`leave` > 5500000, FALSE)
    ) AS `not_above`,
    `points` * CAST(1000000000000 AS DECIMAL(38, 0)) AS `per_n__1`,
    CAST(CASE
      WHEN `points` < 0
      THEN -(
        CAST((
          (
            ABS(`points`) + 500000
          ) - (
            ABS(`points`) + 500000
          ) % 1000000
        ) / 1000000 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`points`) + 500000
        ) - (
          ABS(`points`) + 500000
        ) % 1000000
      ) / 1000000 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `r0`,
    CAST(CASE
      WHEN `points` < 0
      THEN -(
        CAST((
          (
            ABS(`points`) + 5000
          ) - (
            ABS(`points`) + 5000
          ) % 10000
        ) / 10000 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`points`) + 5000
        ) - (
          ABS(`points`) + 5000
        ) % 10000
      ) / 10000 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `r2`,
    `points` >= 0 AND `points` <= 50000000 AS `ranged`,
    CAST(999999999999999999 AS DECIMAL(38, 0)) AS `sevenths`,
    `points` * CAST(1000000000000 AS DECIMAL(38, 0)) AS `third__1`,
    CAST(999999999999999999 AS DECIMAL(38, 0)) AS `thirds`,
    CAST(CASE
      WHEN `points` < 0
      THEN -(
        CAST((
          (
            -(
              `points`
            )
          ) - (
            -(
              `points`
            )
          ) % 1000000
        ) / 1000000 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          `points` + 999999
        ) - (
          `points` + 999999
        ) % 1000000
      ) / 1000000 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `up`,
    CASE WHEN `task` >= 2 THEN `task` ELSE 1 END AS `worse`
  FROM `inputs`
), `step_2_c1__2` AS (
  SELECT
    *,
    CASE
      WHEN `c1__1` < 0
      THEN -(
        CAST((
          (
            ABS(`c1__1`) * 2 + 7
          ) - (
            ABS(`c1__1`) * 2 + 7
          ) % 14
        ) / 14 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`c1__1`) * 2 + 7
        ) - (
          ABS(`c1__1`) * 2 + 7
        ) % 14
      ) / 14 AS DECIMAL(38, 0))
    END AS `c1__2`,
    CAST(CASE
      WHEN NOT `leave` IS NULL
      THEN CASE WHEN `c2__1` < 0 THEN 0 WHEN `c2__1` > 5000000 THEN 5000000 ELSE `c2__1` END
    END AS DECIMAL(38, 0)) AS `c2`,
    CAST(CASE WHEN `c3__1` < 0 THEN 0 WHEN `c3__1` > 100000000 THEN 100000000 ELSE `c3__1` END AS DECIMAL(38, 0)) AS `c3`,
    CAST((
      (
        `points` * `online`
      ) * 1000000
    ) - (
      CASE
        WHEN `mixed__1` < 0
        THEN -(
          CAST((
            (
              ABS(`mixed__1`) * 2 + 7
            ) - (
              ABS(`mixed__1`) * 2 + 7
            ) % 14
          ) / 14 AS DECIMAL(38, 0))
        )
        ELSE CAST((
          (
            ABS(`mixed__1`) * 2 + 7
          ) - (
            ABS(`mixed__1`) * 2 + 7
          ) % 14
        ) / 14 AS DECIMAL(38, 0))
      END
    ) AS DECIMAL(38, 0)) AS `mixed`,
    CASE
      WHEN `n` <> 0 AND `n` = 0
      THEN NULL
      ELSE CAST(CASE
        WHEN `n` <> 0
        THEN CASE
          WHEN (
            `per_n__1` < 0
          ) <> (
            `n` < 0
          )
          THEN -(
            CAST((
              (
                ABS(`per_n__1`) * 2 + ABS(`n`)
              ) - (
                ABS(`per_n__1`) * 2 + ABS(`n`)
              ) % NULLIF(ABS(`n`) * 2, 0)
            ) / NULLIF(ABS(`n`) * 2, 0) AS DECIMAL(38, 0))
          )
          ELSE CAST((
            (
              ABS(`per_n__1`) * 2 + ABS(`n`)
            ) - (
              ABS(`per_n__1`) * 2 + ABS(`n`)
            ) % NULLIF(ABS(`n`) * 2, 0)
          ) / NULLIF(ABS(`n`) * 2, 0) AS DECIMAL(38, 0))
        END
        ELSE 0
      END AS DECIMAL(38, 0))
    END AS `per_n`,
    `n` <> 0 AND `n` = 0 AS `failed__per_n`,
    CAST(CASE
      WHEN `third__1` < 0
      THEN -(
        CAST((
          (
            ABS(`third__1`) * 2 + 3
          ) - (
            ABS(`third__1`) * 2 + 3
          ) % 6
        ) / 6 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`third__1`) * 2 + 3
        ) - (
          ABS(`third__1`) * 2 + 3
        ) % 6
      ) / 6 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `third`
  FROM `step_1_a`
), `step_3_c1` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `c1__2` < 0
      THEN 0
      WHEN `c1__2` > CAST(10000000000000000000 AS DECIMAL(38, 0))
      THEN CAST(10000000000000000000 AS DECIMAL(38, 0))
      ELSE `c1__2`
    END AS DECIMAL(38, 0)) AS `c1`
  FROM `step_2_c1__2`
), `step_4_score__1` AS (
  SELECT
    *,
    (
      (
        `c1` + (
          (
            COALESCE(`c2`, 0)
          ) * CAST(1000000000000 AS DECIMAL(38, 0))
        ) + (
          (
            CASE
              WHEN `points` < 0
              THEN -(
                CAST((
                  (
                    ABS(`points`) + 50000
                  ) - (
                    ABS(`points`) + 50000
                  ) % 100000
                ) / 100000 AS DECIMAL(38, 0))
              )
              ELSE CAST((
                (
                  ABS(`points`) + 50000
                ) - (
                  ABS(`points`) + 50000
                ) % 100000
              ) / 100000 AS DECIMAL(38, 0))
            END
          ) * CAST(100000000000000000 AS DECIMAL(38, 0))
        )
      ) - CAST(2675000000000000000 AS DECIMAL(38, 0))
    ) + (
      `c3` * CAST(1000000000000 AS DECIMAL(38, 0))
    ) AS `score__1`
  FROM `step_3_c1`
), `step_5_score` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `score__1` < 0
      THEN -(
        CAST((
          CAST((
            (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) - (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) % 1000000
          ) / 1000000 AS DECIMAL(38, 0)) - CAST((
            (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) - (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) % 1000000
          ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
        ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0)) * 1000000 + CAST((
          (
            (
              CAST((
                (
                  ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
                ) - (
                  ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
                ) % 1000000
              ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
            ) * 1000000 + (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) % 1000000
          ) - (
            (
              CAST((
                (
                  ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
                ) - (
                  ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
                ) % 1000000
              ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
            ) * 1000000 + (
              ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
            ) % 1000000
          ) % CAST(10000000000000000 AS DECIMAL(38, 0))
        ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
      )
      ELSE CAST((
        CAST((
          (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) - (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % 1000000
        ) / 1000000 AS DECIMAL(38, 0)) - CAST((
          (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) - (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % 1000000
        ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
      ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0)) * 1000000 + CAST((
        (
          (
            CAST((
              (
                ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
              ) - (
                ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
              ) % 1000000
            ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
          ) * 1000000 + (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % 1000000
        ) - (
          (
            CAST((
              (
                ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
              ) - (
                ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
              ) % 1000000
            ) / 1000000 AS DECIMAL(38, 0)) % CAST(10000000000000000 AS DECIMAL(38, 0))
          ) * 1000000 + (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % 1000000
        ) % CAST(10000000000000000 AS DECIMAL(38, 0))
      ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `score`
  FROM `step_4_score__1`
)
SELECT
  `id`,
  `unit`,
  `task`,
  `points`,
  `leave`,
  `bonus`,
  `n`,
  `note`,
  `online`,
  `active`,
  `qualified__a`,
  `above`,
  `absent`,
  `both`,
  `branch`,
  `c1`,
  `c2`,
  `c3`,
  `capped`,
  `chosen`,
  `down`,
  `early`,
  `fallback`,
  `good_or_better`,
  `label`,
  `least`,
  `mixed`,
  `neg`,
  `not_above`,
  `per_n`,
  `failed__per_n`,
  `r0`,
  `r2`,
  `ranged`,
  `score`,
  `sevenths`,
  `third`,
  `thirds`,
  `up`,
  `worse`
FROM `step_5_score`;
