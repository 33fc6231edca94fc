WITH `collective__inputs` AS (
  SELECT
    `id`,
    `name`,
    `block`,
    `task`,
    CAST(`online_services` AS DECIMAL(38, 0)) AS `online_services`,
    CAST(`records_digitised` AS DECIMAL(38, 0)) AS `records_digitised`
  FROM `collective`
), `individual__inputs` AS (
  SELECT
    `id`,
    `name`,
    `unit`,
    `task`,
    `discipline`,
    CAST(`initiatives` AS DECIMAL(38, 0)) AS `initiatives`,
    `provincial_initiative`,
    `digital_cert`,
    CAST(`training_hours` AS DECIMAL(38, 0)) AS `training_hours`,
    CAST(`leave_months` AS DECIMAL(38, 0)) AS `leave_months`
  FROM `individual`
), `individual__step_1_advanced_worker` AS (
  SELECT
    `individual__inputs`.*,
    `task` >= 2 AND `discipline` = 0 AND COALESCE(`leave_months`, 0) <= 3000000 AS `qualified__advanced_worker`,
    (
      LEAST(`training_hours`, 40000000)
    ) * CAST(1000000000000 AS DECIMAL(38, 0)) AS `digital_points__1`,
    15 * `initiatives` AS `initiative_points__1`,
    CASE WHEN `task` = 3 THEN 50 WHEN `task` = 2 THEN 35 WHEN `task` = 1 THEN 15 ELSE 0 END AS `task_points__1`,
    COALESCE(`__joined1`.`__value`, 0) AS `provincial_fighter__join1`
  FROM `individual__inputs`
  LEFT JOIN (
    SELECT
      `key` AS `__owner`,
      SUM(CASE WHEN `year` = 2025 - `__place` THEN 1 ELSE 0 END) AS `__value`
    FROM (
      SELECT
        `key`,
        `year`,
        ROW_NUMBER() OVER (PARTITION BY `key` ORDER BY `year` DESC) AS `__place`
      FROM (
        SELECT DISTINCT
          `key`,
          `year`
        FROM `history`
        WHERE
          `award` = 'grassroots_fighter' AND `year` < 2025
      ) AS __years
    ) AS __numbered
    GROUP BY
      `key`
  ) AS __joined1
    ON `id` = `__joined1`.`__owner`
), `individual__step_2_digital_points__2` AS (
  SELECT
    *,
    (
      (
        CASE WHEN `digital_cert` THEN 10 ELSE 0 END
      ) * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + (
      CASE
        WHEN `digital_points__1` < 0
        THEN -(
          CAST((
            (
              ABS(`digital_points__1`) * 2 + 4
            ) - (
              ABS(`digital_points__1`) * 2 + 4
            ) % 8
          ) / 8 AS DECIMAL(38, 0))
        )
        ELSE CAST((
          (
            ABS(`digital_points__1`) * 2 + 4
          ) - (
            ABS(`digital_points__1`) * 2 + 4
          ) % 8
        ) / 8 AS DECIMAL(38, 0))
      END
    ) AS `digital_points__2`,
    CAST(CASE
      WHEN `initiative_points__1` < 0
      THEN 0
      WHEN `initiative_points__1` > 30
      THEN 30
      ELSE `initiative_points__1`
    END AS DECIMAL(38, 0)) AS `initiative_points`,
    CAST(CASE
      WHEN `task_points__1` < 0
      THEN 0
      WHEN `task_points__1` > 50
      THEN 50
      ELSE `task_points__1`
    END AS DECIMAL(38, 0)) AS `task_points`,
    15 * SUM(CASE WHEN `qualified__advanced_worker` THEN 1 ELSE 0 END) OVER (PARTITION BY `unit`) AS `grassroots_fighter__1`,
    `qualified__advanced_worker` AND `task` = 3 AND `initiatives` >= 1 AS `qualified__grassroots_fighter`
  FROM `individual__step_1_advanced_worker`
), `individual__step_3_digital_points` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `digital_points__2` < 0
      THEN 0
      WHEN `digital_points__2` > CAST(20000000000000000000 AS DECIMAL(38, 0))
      THEN CAST(20000000000000000000 AS DECIMAL(38, 0))
      ELSE `digital_points__2`
    END AS DECIMAL(38, 0)) AS `digital_points`,
    CASE
      WHEN `grassroots_fighter__1` < 0
      THEN -(
        CAST((
          (
            -(
              `grassroots_fighter__1`
            ) + 99
          ) - (
            -(
              `grassroots_fighter__1`
            ) + 99
          ) % 100
        ) / 100 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        `grassroots_fighter__1` - `grassroots_fighter__1` % 100
      ) / 100 AS DECIMAL(38, 0))
    END AS `grassroots_fighter__2`
  FROM `individual__step_2_digital_points__2`
), `individual__step_4_score__1` AS (
  SELECT
    *,
    (
      `task_points` * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + (
      `initiative_points` * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + `digital_points` AS `score__1`,
    CASE
      WHEN `grassroots_fighter__2` IS NULL OR `grassroots_fighter__2` < 0
      THEN 0
      ELSE `grassroots_fighter__2`
    END AS `quota__grassroots_fighter`
  FROM `individual__step_3_digital_points`
), `individual__step_5_score` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `score__1` < 0
      THEN -(
        CAST((
          (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) - (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % CAST(10000000000000000 AS DECIMAL(38, 0))
        ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
        ) - (
          ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
        ) % CAST(10000000000000000 AS DECIMAL(38, 0))
      ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `score`
  FROM `individual__step_4_score__1`
), `individual__step_6_place__grassroots_fighter` AS (
  SELECT
    *,
    CASE
      WHEN `qualified__grassroots_fighter`
      THEN ROW_NUMBER() OVER (
        PARTITION BY `unit`, `qualified__grassroots_fighter`
        ORDER BY `score` DESC, `initiatives` DESC, `id` NULLS LAST
      )
    END AS `place__grassroots_fighter`
  FROM `individual__step_5_score`
), `individual__step_7_grassroots_fighter` AS (
  SELECT
    *,
    COALESCE(
      `qualified__grassroots_fighter`
      AND (
        `place__grassroots_fighter` <= `quota__grassroots_fighter`
      ),
      FALSE
    ) AS `grassroots_fighter`
  FROM `individual__step_6_place__grassroots_fighter`
), `collective__step_1_advanced_collective__join2` AS (
  SELECT
    `collective__inputs`.*,
    COALESCE(`__joined1`.`__value`, 0) AS `advanced_collective__join2`,
    COALESCE(`__joined1`.`__count`, 0) AS `advanced_collective__join3`,
    COALESCE(`__joined2`.`__value`, TRUE) AS `advanced_collective__join5`,
    (
      25 * `online_services`
    ) + (
      15 * `records_digitised`
    ) AS `digital_government__1`,
    COALESCE(`__joined3`.`__value`, 0) AS `fighters__join7`,
    CASE WHEN `task` = 3 THEN 40 WHEN `task` = 2 THEN 30 WHEN `task` = 1 THEN 15 ELSE 0 END AS `task_result__1`,
    COALESCE(`__joined4`.`__value`, TRUE) AS `excellent_collective__join9`,
    COALESCE(`__joined5`.`__value`, 0) AS `excellent_collective__join11`,
    COALESCE(`__joined5`.`__count`, 0) AS `excellent_collective__join12`,
    COALESCE(`__joined6`.`__value`, FALSE) AS `excellent_collective__join14`,
    CASE WHEN 1 IS NULL OR 1 < 0 THEN 0 ELSE 1 END AS `quota__emulation_flag`
  FROM `collective__inputs`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      CAST(SUM(CASE WHEN `qualified__advanced_worker` THEN 1 ELSE 0 END) AS DECIMAL(38, 0)) AS `__value`,
      COUNT(*) AS `__count`
    FROM `individual__step_1_advanced_worker`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined1
    ON `id` = `__joined1`.`__owner`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      MAX(CASE WHEN `discipline` >= 2 THEN 1 ELSE 0 END) = 0 AS `__value`
    FROM `individual__inputs`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined2
    ON `id` = `__joined2`.`__owner`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      CAST(SUM(CASE WHEN `grassroots_fighter` THEN 1 ELSE 0 END) AS DECIMAL(38, 0)) AS `__value`
    FROM `individual__step_7_grassroots_fighter`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined3
    ON `id` = `__joined3`.`__owner`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      MIN(CASE WHEN `task` >= 1 THEN 1 ELSE 0 END) = 1 AS `__value`
    FROM `individual__inputs`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined4
    ON `id` = `__joined4`.`__owner`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      CAST(SUM(CASE WHEN `qualified__advanced_worker` THEN 1 ELSE 0 END) AS DECIMAL(38, 0)) AS `__value`,
      COUNT(*) AS `__count`
    FROM `individual__step_1_advanced_worker`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined5
    ON `id` = `__joined5`.`__owner`
  LEFT JOIN (
    SELECT
      `unit` AS `__owner`,
      MAX(CASE WHEN `grassroots_fighter` THEN 1 ELSE 0 END) = 1 AS `__value`
    FROM `individual__step_7_grassroots_fighter`
    WHERE
      NOT `unit` IS NULL
    GROUP BY
      `unit`
  ) AS __joined6
    ON `id` = `__joined6`.`__owner`
), `collective__step_2_advanced_collective__1` AS (
  SELECT
    *,
    `advanced_collective__join2` * CAST(1000000000000000000 AS DECIMAL(38, 0)) AS `advanced_collective__1`,
    CAST(CASE
      WHEN `digital_government__1` < 0
      THEN 0
      WHEN `digital_government__1` > 40000000
      THEN 40000000
      ELSE `digital_government__1`
    END AS DECIMAL(38, 0)) AS `digital_government`,
    4 * `fighters__join7` AS `fighters__1`,
    CAST(CASE
      WHEN `task_result__1` < 0
      THEN 0
      WHEN `task_result__1` > 40
      THEN 40
      ELSE `task_result__1`
    END AS DECIMAL(38, 0)) AS `task_result`,
    `excellent_collective__join11` * CAST(1000000000000000000 AS DECIMAL(38, 0)) AS `excellent_collective__1`
  FROM `collective__step_1_advanced_collective__join2`
), `collective__step_3_advanced_collective` AS (
  SELECT
    *,
    `task` >= 2
    AND COALESCE(
      CASE
        WHEN (
          `advanced_collective__1` < 0
        ) <> (
          `advanced_collective__join3` < 0
        )
        THEN -(
          CAST((
            (
              ABS(`advanced_collective__1`) * 2 + ABS(`advanced_collective__join3`)
            ) - (
              ABS(`advanced_collective__1`) * 2 + ABS(`advanced_collective__join3`)
            ) % NULLIF(ABS(`advanced_collective__join3`) * 2, 0)
          ) / NULLIF(ABS(`advanced_collective__join3`) * 2, 0) AS DECIMAL(38, 0))
        )
        ELSE CAST((
          (
            ABS(`advanced_collective__1`) * 2 + ABS(`advanced_collective__join3`)
          ) - (
            ABS(`advanced_collective__1`) * 2 + ABS(`advanced_collective__join3`)
          ) % NULLIF(ABS(`advanced_collective__join3`) * 2, 0)
        ) / NULLIF(ABS(`advanced_collective__join3`) * 2, 0) AS DECIMAL(38, 0))
      END,
      0
    ) >= CAST(500000000000000000 AS DECIMAL(38, 0))
    AND `advanced_collective__join5` AS `qualified__advanced_collective`,
    CAST(CASE
      WHEN `fighters__1` < 0
      THEN 0
      WHEN `fighters__1` > 20
      THEN 20
      ELSE `fighters__1`
    END AS DECIMAL(38, 0)) AS `fighters`
  FROM `collective__step_2_advanced_collective__1`
), `collective__step_4_score__1` AS (
  SELECT
    *,
    (
      `task_result` * 1000000
    ) + `digital_government` + (
      `fighters` * 1000000
    ) AS `score__1`,
    `qualified__advanced_collective`
    AND `task` = 3
    AND `excellent_collective__join9`
    AND COALESCE(
      CASE
        WHEN (
          `excellent_collective__1` < 0
        ) <> (
          `excellent_collective__join12` < 0
        )
        THEN -(
          CAST((
            (
              ABS(`excellent_collective__1`) * 2 + ABS(`excellent_collective__join12`)
            ) - (
              ABS(`excellent_collective__1`) * 2 + ABS(`excellent_collective__join12`)
            ) % NULLIF(ABS(`excellent_collective__join12`) * 2, 0)
          ) / NULLIF(ABS(`excellent_collective__join12`) * 2, 0) AS DECIMAL(38, 0))
        )
        ELSE CAST((
          (
            ABS(`excellent_collective__1`) * 2 + ABS(`excellent_collective__join12`)
          ) - (
            ABS(`excellent_collective__1`) * 2 + ABS(`excellent_collective__join12`)
          ) % NULLIF(ABS(`excellent_collective__join12`) * 2, 0)
        ) / NULLIF(ABS(`excellent_collective__join12`) * 2, 0) AS DECIMAL(38, 0))
      END,
      0
    ) >= CAST(700000000000000000 AS DECIMAL(38, 0))
    AND `excellent_collective__join14` AS `qualified__excellent_collective`
  FROM `collective__step_3_advanced_collective`
), `collective__step_5_score` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `score__1` < 0
      THEN -(
        CAST((
          (
            ABS(`score__1`) + 5000
          ) - (
            ABS(`score__1`) + 5000
          ) % 10000
        ) / 10000 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`score__1`) + 5000
        ) - (
          ABS(`score__1`) + 5000
        ) % 10000
      ) / 10000 AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `score`,
    `qualified__excellent_collective` AS `qualified__emulation_flag`
  FROM `collective__step_4_score__1`
), `collective__step_6_block_table` AS (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY `block` ORDER BY `score` DESC, `id` NULLS LAST) AS `block_table`,
    CASE
      WHEN `qualified__emulation_flag`
      THEN ROW_NUMBER() OVER (
        PARTITION BY `block`, `qualified__emulation_flag`
        ORDER BY `score` DESC, `records_digitised` DESC, `id` NULLS LAST
      )
    END AS `place__emulation_flag`
  FROM `collective__step_5_score`
), `collective__step_7_emulation_flag` AS (
  SELECT
    *,
    COALESCE(
      `qualified__emulation_flag`
      AND (
        `place__emulation_flag` <= `quota__emulation_flag`
      ),
      FALSE
    ) AS `emulation_flag`
  FROM `collective__step_6_block_table`
)
SELECT
  `id`,
  `name`,
  `block`,
  `task`,
  `online_services`,
  `records_digitised`,
  `qualified__advanced_collective`,
  `digital_government`,
  `fighters`,
  `task_result`,
  `score`,
  `block_table`,
  `qualified__excellent_collective`,
  `qualified__emulation_flag`,
  `place__emulation_flag`,
  `quota__emulation_flag`,
  `emulation_flag`
FROM `collective__step_7_emulation_flag`;

WITH `individual__inputs` AS (
  SELECT
    `id`,
    `name`,
    `unit`,
    `task`,
    `discipline`,
    CAST(`initiatives` AS DECIMAL(38, 0)) AS `initiatives`,
    `provincial_initiative`,
    `digital_cert`,
    CAST(`training_hours` AS DECIMAL(38, 0)) AS `training_hours`,
    CAST(`leave_months` AS DECIMAL(38, 0)) AS `leave_months`
  FROM `individual`
), `individual__step_1_advanced_worker` AS (
  SELECT
    `individual__inputs`.*,
    `task` >= 2 AND `discipline` = 0 AND COALESCE(`leave_months`, 0) <= 3000000 AS `qualified__advanced_worker`,
    (
      LEAST(`training_hours`, 40000000)
    ) * CAST(1000000000000 AS DECIMAL(38, 0)) AS `digital_points__1`,
    15 * `initiatives` AS `initiative_points__1`,
    CASE WHEN `task` = 3 THEN 50 WHEN `task` = 2 THEN 35 WHEN `task` = 1 THEN 15 ELSE 0 END AS `task_points__1`,
    COALESCE(`__joined1`.`__value`, 0) AS `provincial_fighter__join1`
  FROM `individual__inputs`
  LEFT JOIN (
    SELECT
      `key` AS `__owner`,
      SUM(CASE WHEN `year` = 2025 - `__place` THEN 1 ELSE 0 END) AS `__value`
    FROM (
      SELECT
        `key`,
        `year`,
        ROW_NUMBER() OVER (PARTITION BY `key` ORDER BY `year` DESC) AS `__place`
      FROM (
        SELECT DISTINCT
          `key`,
          `year`
        FROM `history`
        WHERE
          `award` = 'grassroots_fighter' AND `year` < 2025
      ) AS __years
    ) AS __numbered
    GROUP BY
      `key`
  ) AS __joined1
    ON `id` = `__joined1`.`__owner`
), `individual__step_2_digital_points__2` AS (
  SELECT
    *,
    (
      (
        CASE WHEN `digital_cert` THEN 10 ELSE 0 END
      ) * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + (
      CASE
        WHEN `digital_points__1` < 0
        THEN -(
          CAST((
            (
              ABS(`digital_points__1`) * 2 + 4
            ) - (
              ABS(`digital_points__1`) * 2 + 4
            ) % 8
          ) / 8 AS DECIMAL(38, 0))
        )
        ELSE CAST((
          (
            ABS(`digital_points__1`) * 2 + 4
          ) - (
            ABS(`digital_points__1`) * 2 + 4
          ) % 8
        ) / 8 AS DECIMAL(38, 0))
      END
    ) AS `digital_points__2`,
    CAST(CASE
      WHEN `initiative_points__1` < 0
      THEN 0
      WHEN `initiative_points__1` > 30
      THEN 30
      ELSE `initiative_points__1`
    END AS DECIMAL(38, 0)) AS `initiative_points`,
    CAST(CASE
      WHEN `task_points__1` < 0
      THEN 0
      WHEN `task_points__1` > 50
      THEN 50
      ELSE `task_points__1`
    END AS DECIMAL(38, 0)) AS `task_points`,
    15 * SUM(CASE WHEN `qualified__advanced_worker` THEN 1 ELSE 0 END) OVER (PARTITION BY `unit`) AS `grassroots_fighter__1`,
    `qualified__advanced_worker` AND `task` = 3 AND `initiatives` >= 1 AS `qualified__grassroots_fighter`
  FROM `individual__step_1_advanced_worker`
), `individual__step_3_digital_points` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `digital_points__2` < 0
      THEN 0
      WHEN `digital_points__2` > CAST(20000000000000000000 AS DECIMAL(38, 0))
      THEN CAST(20000000000000000000 AS DECIMAL(38, 0))
      ELSE `digital_points__2`
    END AS DECIMAL(38, 0)) AS `digital_points`,
    CASE
      WHEN `grassroots_fighter__1` < 0
      THEN -(
        CAST((
          (
            -(
              `grassroots_fighter__1`
            ) + 99
          ) - (
            -(
              `grassroots_fighter__1`
            ) + 99
          ) % 100
        ) / 100 AS DECIMAL(38, 0))
      )
      ELSE CAST((
        `grassroots_fighter__1` - `grassroots_fighter__1` % 100
      ) / 100 AS DECIMAL(38, 0))
    END AS `grassroots_fighter__2`
  FROM `individual__step_2_digital_points__2`
), `individual__step_4_score__1` AS (
  SELECT
    *,
    (
      `task_points` * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + (
      `initiative_points` * CAST(1000000000000000000 AS DECIMAL(38, 0))
    ) + `digital_points` AS `score__1`,
    CASE
      WHEN `grassroots_fighter__2` IS NULL OR `grassroots_fighter__2` < 0
      THEN 0
      ELSE `grassroots_fighter__2`
    END AS `quota__grassroots_fighter`
  FROM `individual__step_3_digital_points`
), `individual__step_5_score` AS (
  SELECT
    *,
    CAST(CASE
      WHEN `score__1` < 0
      THEN -(
        CAST((
          (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) - (
            ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
          ) % CAST(10000000000000000 AS DECIMAL(38, 0))
        ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
      )
      ELSE CAST((
        (
          ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
        ) - (
          ABS(`score__1`) + CAST(5000000000000000 AS DECIMAL(38, 0))
        ) % CAST(10000000000000000 AS DECIMAL(38, 0))
      ) / CAST(10000000000000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0))
    END AS DECIMAL(38, 0)) AS `score`
  FROM `individual__step_4_score__1`
), `individual__step_6_place__grassroots_fighter` AS (
  SELECT
    *,
    CASE
      WHEN `qualified__grassroots_fighter`
      THEN ROW_NUMBER() OVER (
        PARTITION BY `unit`, `qualified__grassroots_fighter`
        ORDER BY `score` DESC, `initiatives` DESC, `id` NULLS LAST
      )
    END AS `place__grassroots_fighter`
  FROM `individual__step_5_score`
), `individual__step_7_grassroots_fighter` AS (
  SELECT
    *,
    COALESCE(
      `qualified__grassroots_fighter`
      AND (
        `place__grassroots_fighter` <= `quota__grassroots_fighter`
      ),
      FALSE
    ) AS `grassroots_fighter`
  FROM `individual__step_6_place__grassroots_fighter`
), `individual__step_8_provincial_fighter` AS (
  SELECT
    *,
    (
      CASE WHEN `grassroots_fighter` THEN `provincial_fighter__join1` + 1 ELSE 0 END
    ) >= 3
    AND `provincial_initiative` AS `qualified__provincial_fighter`
  FROM `individual__step_7_grassroots_fighter`
)
SELECT
  `id`,
  `name`,
  `unit`,
  `task`,
  `discipline`,
  `initiatives`,
  `provincial_initiative`,
  `digital_cert`,
  `training_hours`,
  `leave_months`,
  `qualified__advanced_worker`,
  `digital_points`,
  `initiative_points`,
  `task_points`,
  `score`,
  `qualified__grassroots_fighter`,
  `place__grassroots_fighter`,
  `quota__grassroots_fighter`,
  `grassroots_fighter`,
  `qualified__provincial_fighter`
FROM `individual__step_8_provincial_fighter`;
